// --shard (issue 19): how even the shares are, and what N shard processes
// buy on one host behind the latency FUSE fixture.
//
// 1. Balance: treescan --shard i/N over each tree, N = 2, 4, 8: entries per
//    shard, max/mean (1.00 is perfect), and a check that the shares add up
//    to the unsharded count. Trees: the generated 11k and 555k scan trees,
//    a /usr-shaped 150k tree (bench/shapes/usr.json) and this machine's /usr
//    (and /usr as a treescan list, dealt out by pstat --shard: by path hash).
// 2. Wall time on the FUSE fixture (1 ms an operation, 64 in service), N =
//    1, 2, 4 shard processes started together (cptree, mvtree: then
//    --finalize, counted in), against one unsharded run of the same command,
//    median of --runs. The shares are checked once against the unsharded
//    output first. mvtree moves a copy of the corpus out of the fixture
//    (put back before each run, untimed) into tmpfs.
//
//   node bench/shard.mjs [--runs 3] [--no-balance] [--no-fuse] [--commands treescan,pstat,cptree,mvtree] [--json]
// Needs bench/setup.sh (fixtures) and npm run build.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { log } from './lib/report.mjs';
import { benchBase, ensureScanTree } from './lib/scan-tree.mjs';
import { ensureShapedTree } from './lib/shaped-tree.mjs';
import { listFiles } from './lib/tree.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = (c) => join(ROOT, 'bin', c);
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'no-balance': { type: 'boolean', default: false },
    'no-fuse': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    commands: { type: 'string', default: 'treescan,pstat,cptree,mvtree' },
  },
});
const runs = Number(opt.runs);
const results = { cpus: availableParallelism(), load: loadavg()[0], balance: [], fuse: [] };

/** Runs argv; resolves to { s, status, stdout, stderr } (s: wall seconds). */
function exec(argv) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (status) => resolve({ s: Number(process.hrtime.bigint() - t0) / 1e9, status, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** Several at once; the wall time until the last ends. */
async function together(argvs) {
  const t0 = process.hrtime.bigint();
  const r = await Promise.all(argvs.map(exec));
  for (const x of r) if (x.status !== 0) throw new Error(`shard failed (${x.status}): ${x.stderr.slice(0, 400)}`);
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, results: r };
}

const node = process.execPath;
const entries = (j) => j.dirs + j.files + j.symlinks + j.others;

// ---- 1. balance ----

async function balanceRow(label, dir) {
  const whole = JSON.parse((await exec([node, BIN('treescan'), '-q', '--summary-json', dir])).stderr);
  for (const n of [2, 4, 8]) {
    const t = await together(Array.from({ length: n }, (_, i) => [node, BIN('treescan'), '-q', '--summary-json', '--shard', `${i}/${n}`, dir]));
    const per = t.results.map((r) => entries(JSON.parse(r.stderr)));
    const sum = per.reduce((a, b) => a + b, 0);
    if (sum !== entries(whole)) throw new Error(`${label} N=${n}: the shares hold ${sum} entries, the tree ${entries(whole)}`);
    const ratio = Math.max(...per) / (sum / n);
    log(`balance ${label} N=${n}: ${per.join(' ')} entries; max/mean ${ratio.toFixed(2)}\n`);
    results.balance.push({ tree: label, entries: sum, n, perShard: per, maxOverMean: ratio });
  }
}

/** The same tree as a treescan list, dealt out by pstat --shard (by the
 *  hash of each path): the balance a list gives whatever the tree's shape. */
async function listBalanceRow(label, dir) {
  const listFile = join(benchBase(), 'shard-balance.list');
  const scan = await exec([node, BIN('treescan'), '-0', dir]);
  writeFileSync(listFile, scan.stdout);
  const total = scan.stdout.toString('latin1').split('\0').filter(Boolean).length;
  for (const n of [2, 4, 8]) {
    const t = await together(Array.from({ length: n }, (_, i) => [node, BIN('pstat'), '-0', '--printf', '%n\\0', '--shard', `${i}/${n}`, '--from', listFile]));
    const per = t.results.map((r) => r.stdout.toString('latin1').split('\0').filter(Boolean).length);
    const sum = per.reduce((a, b) => a + b, 0);
    if (sum !== total) throw new Error(`${label} list N=${n}: the shares hold ${sum} paths, the list ${total}`);
    const ratio = Math.max(...per) / (sum / n);
    log(`balance ${label} as a list N=${n}: ${per.join(' ')} paths; max/mean ${ratio.toFixed(2)}\n`);
    results.balance.push({ tree: `${label}, as a treescan list`, entries: sum, n, perShard: per, maxOverMean: ratio });
  }
  rmSync(listFile, { force: true });
}

// ---- 2. the FUSE fixture ----

/** The shares once against the whole run, compared as sorted NUL records. */
function sameOutput(whole, parts, what) {
  const recs = (b) => b.toString('latin1').split('\0').filter(Boolean).sort().join('\0');
  if (recs(whole) !== recs(Buffer.concat(parts))) throw new Error(`${what}: the shards' output is not the unsharded output`);
}

async function fuseRows() {
  const scan = ensureScanTree({ fanout: 10, depth: 3, files: 9 });
  const corpus = join('/dev/shm/ioaio-bench-concurrency', 'corpus-10000');
  ensureCorpus(corpus, 10000, false);
  const base = '/dev/shm/ioaio-bench-shard';
  rmSync(base, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', base]);
  const movable = join(benchBase(), 'shard-move-src');
  for (const name of opt.commands.split(',')) {
    const copies = name === 'cptree' || name === 'mvtree';
    const src = name === 'mvtree' ? movable : copies ? corpus : scan.dir;
    if (name === 'mvtree') execFileSync('mkdir', ['-p', movable]);
    const mnt = mkdtempSync(join(benchBase(), 'mnt-shard-'));
    const unmount = await mount(src, mnt, { delayUs: 1000, threads: 64, writable: name === 'mvtree' });
    const unregister = onExit(() => {
      unmount();
      try { rmdirSync(mnt); } catch {}
    });
    try {
      const list = join(base, 'list');
      if (name === 'pstat') writeFileSync(list, listFiles(src).map((p) => mnt + p.slice(src.length)).join('\0') + '\0');
      const dst = join(base, 'dst');
      const cmd = (shard) => {
        const s = shard ? ['--shard', shard] : [];
        if (name === 'treescan') return [node, BIN('treescan'), '-0', ...s, mnt];
        if (name === 'pstat') return [node, BIN('pstat'), '-0', '--printf', '%n %s\\0', ...s, '--from', list];
        if (name === 'mvtree') return [node, BIN('mvtree'), ...(shard ? s : ['-T']), join(mnt, 'tree'), dst];
        return [node, BIN('cptree'), '-T', ...s, mnt, dst];
      };
      const fresh = () => {
        rmSync(dst, { recursive: true, force: true });
        if (name !== 'mvtree') return;
        rmSync(join(movable, 'tree'), { recursive: true, force: true });
        execFileSync('cp', ['-a', corpus, join(movable, 'tree')]);
      };
      const from = name === 'mvtree' ? join(mnt, 'tree') : mnt;
      const finalize = (n) => (copies ? exec([node, BIN(name), '--finalize', '--shard-count', String(n), from, dst]) : undefined);
      // once for the same output
      if (!copies) {
        const whole = await exec(cmd());
        const parts = await together([0, 1, 2, 3].map((i) => cmd(`${i}/4`)));
        sameOutput(whole.stdout, parts.results.map((r) => r.stdout), `${name} on FUSE`);
      } else {
        fresh();
        await together([0, 1, 2, 3].map((i) => cmd(`${i}/4`)));
        await finalize(4);
        const diff = execFileSync('rsync', ['-aHAX', '--checksum', '--dry-run', '-i', `${corpus}/`, `${dst}/`]).toString();
        if (diff) throw new Error(`${name} shards on FUSE: rsync still finds changes:\n${diff.slice(0, 400)}`);
        if (name === 'mvtree' && existsSync(join(movable, 'tree'))) throw new Error('mvtree shards on FUSE: the source is still there');
      }
      const one = [];
      for (let r = 0; r < runs; r++) {
        fresh();
        const r1 = await exec(cmd());
        if (r1.status !== 0) throw new Error(`${name} unsharded: ${r1.stderr.slice(0, 400)}`);
        one.push(r1.s);
      }
      const row = { command: name, unsharded: median(one), shards: [] };
      for (const n of [1, 2, 4]) {
        const t = [];
        for (let r = 0; r < runs; r++) {
          fresh();
          const w = await together(Array.from({ length: n }, (_, i) => cmd(`${i}/${n}`)));
          const f = await finalize(n);
          if (f && f.status !== 0) throw new Error(`${name} --finalize: ${f.stderr}`);
          t.push(w.s + (f ? f.s : 0));
        }
        row.shards.push({ n, s: median(t), ratio: median(t) / row.unsharded });
        log(`fuse 1000/64 ${name}: ${n} shard${n > 1 ? 's' : ''} ${median(t).toFixed(3)} s vs unsharded ${row.unsharded.toFixed(3)} s (${(median(t) / row.unsharded).toFixed(2)}x)\n`);
      }
      results.fuse.push(row);
    } finally {
      unmount();
      try { rmdirSync(mnt); } catch {}
      unregister?.();
    }
  }
  rmSync(base, { recursive: true, force: true });
  rmSync(movable, { recursive: true, force: true });
}

log(`shard benchmark: ${results.cpus} cores, load ${results.load.toFixed(2)}, runs ${runs}\n`);
if (!opt['no-balance']) {
  const small = ensureScanTree({ fanout: 10, depth: 3, files: 9 });
  await balanceRow(`generated ${small.entries}`, small.dir);
  const big = ensureScanTree({ fanout: 10, depth: 5, files: 4 });
  await balanceRow(`generated ${big.entries}`, big.dir);
  const shaped = ensureShapedTree({ shape: 'usr', entries: 150_000 });
  await balanceRow(`usr-shaped ${shaped.entries}`, shaped.dir);
  if (existsSync('/usr')) {
    await balanceRow('this machine\'s /usr', '/usr');
    await listBalanceRow('this machine\'s /usr', '/usr');
  }
}
if (!opt['no-fuse']) await fuseRows();

const lines = [];
if (results.balance.length) {
  lines.push('| tree | entries | N | entries per shard | max / mean |', '|---|---|---|---|---|');
  for (const b of results.balance) lines.push(`| ${b.tree} | ${b.entries} | ${b.n} | ${b.perShard.join(' ')} | ${b.maxOverMean.toFixed(2)} |`);
}
if (results.fuse.length) {
  lines.push('', '| FUSE 1000/64 | unsharded | 1 shard | 2 shards | 4 shards |', '|---|---|---|---|---|');
  for (const r of results.fuse) lines.push(`| ${r.command} | ${r.unsharded.toFixed(3)} s | ${r.shards.map((x) => `${x.s.toFixed(3)} s (${x.ratio.toFixed(2)}×)`).join(' | ')} |`);
}
console.log(lines.join('\n'));
if (opt.json) console.log(JSON.stringify(results, null, 2));
