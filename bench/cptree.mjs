// Tree copy benchmark (issue 6): our cptree against cp -a and rsync -a, run
// alternately in the same run, wall-time medians and ratios, and the
// issue's bars.
//
//   node bench/cptree.mjs [--local] [--fuse] [--large] [--mirror] [--shaped] [--runs N] [--json]
//       [--files 100000] [--shaped-entries 100000] [--fuse-files 10000] [--large-files 4] [--large-mib 1024]
//       [--delay-us 1000] [--threads 64] [--fixture async|threads] [--base /dev/shm/ioaio-bench-cptree]
//
// Scenarios (all three unless some are named):
//   local  a warm tree of --files mostly small files (~3.5 kB on average, a
//          tenth up to 32 kB) plus a 64 MiB sparse file, tmpfs -> tmpfs:
//          ours/cp <= 0.7 (issue 6) and <= 0.6 (issue 17), ours/rsync <= 0.5
//   fuse   latencyfs-async, or latencyfs with --fixture threads (1 ms an operation, 64 in service) over --fuse-files
//          files -> tmpfs: cp/ours >= 20 (cp -a is run once: it takes minutes)
//   shaped a tree shaped like this machine's /usr (lib/shaped-tree.mjs:
//          its directory sizes, depths, name lengths, symlinks, and file sizes
//          capped at 64 KiB), --shaped-entries entries, tmpfs -> tmpfs:
//          ours/cp <= 0.6 (issue 17)
//   large  --large-files files of --large-mib MiB, tmpfs -> tmpfs: ours/cp <= 1.1
//   mirror the local tree onto an older copy of it (a twentieth of its files
//          changed, as many extra files beside them, extra directories):
//          cptree -T -u --delete against rsync -a --delete (no bar: issue 15
//          names none; the ratio is printed)
// Copies go tmpfs -> tmpfs because copies to a disk swing with writeback by
// an order of magnitude here (NOTES.md). Needs rsync, and bench/setup.sh
// once for the FUSE fixture.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { fixtureBinary, mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { run } from './lib/run.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { ensureShapedTree } from './lib/shaped-tree.mjs';
import { bar, log, verdict } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CPTREE = join(HERE, '..', 'bin', 'cptree');

const { values: opt } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    fuse: { type: 'boolean', default: false },
    large: { type: 'boolean', default: false },
    mirror: { type: 'boolean', default: false },
    shaped: { type: 'boolean', default: false },
    'shaped-entries': { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    files: { type: 'string', default: '100000' },
    'fuse-files': { type: 'string', default: '10000' },
    'large-files': { type: 'string', default: '4' },
    'large-mib': { type: 'string', default: '1024' },
    'delay-us': { type: 'string', default: '1000' },
    threads: { type: 'string', default: '64' },
    fixture: { type: 'string', default: 'async' },
    base: { type: 'string', default: '/dev/shm/ioaio-bench-cptree' },
  },
});
const picked = ['local', 'fuse', 'large', 'mirror', 'shaped'].filter((s) => opt[s]);
const scenarios = picked.length ? picked : ['local', 'fuse', 'large', 'mirror', 'shaped'];
const runs = Number(opt.runs);
const base = opt.base;
const results = {};

const TOOLS = {
  cp: (src, dst) => ['cp', '-a', src, dst],
  rsync: (src, dst) => ['rsync', '-a', `${src}/`, `${dst}/`],
  ours: (src, dst, extra = []) => [process.execPath, CPTREE, ...extra, src, dst],
};

function du(dir) {
  return execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0];
}

/** One timed run into dst, made afresh (untimed) by prepare: empty by default. */
async function timed(name, argv, dst, prepare = () => {}) {
  rmSync(dst, { recursive: true, force: true });
  prepare();
  const r = await run(argv, { timeoutS: 1800 });
  if (r.status !== 0 || r.timedOut) throw new Error(`${name} failed (${r.status}${r.timedOut ? ', timed out' : ''}): ${r.stderr}`);
  return r.wallS;
}

/** rsync -n finds nothing to do (with extra: its --delete too). */
function verify(src, dst, extra = []) {
  const out = execFileSync('rsync', ['-aHAX', '--dry-run', '--itemize-changes', '--checksum', ...extra, `${src}/`, `${dst}/`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (out !== '') throw new Error(`the copy of ${src} differs (rsync -n ${extra.join(' ')}):\n${out.slice(0, 2000)}`);
}

/** Alternates the tools `runs` times (rotating who goes first); medians. */
async function alternate(label, src, tools, extra = []) {
  const times = Object.fromEntries(tools.map((t) => [t, []]));
  const dst = join(base, `${label}-dst`);
  for (let r = 0; r < runs; r++) {
    const order = tools.map((_, i) => tools[(i + r) % tools.length]);
    for (const t of order) {
      const s = await timed(t, TOOLS[t](src, dst, extra), dst);
      times[t].push(s);
      log(`${label} run ${r + 1}/${runs}: ${t} ${s.toFixed(2)} s\n`);
      if (t === 'ours' && r === 0) verify(src, dst);
    }
  }
  rmSync(dst, { recursive: true, force: true });
  return Object.fromEntries(tools.map((t) => [t, { median: median(times[t]), runs: times[t] }]));
}


mkdirSync(base, { recursive: true });
log(`cptree benchmark: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${runs} runs\n`);

if (scenarios.includes('local')) {
  const src = join(base, `tree-${opt.files}`);
  ensureCorpus(src, Number(opt.files), true);
  const m = await alternate('local', src, ['cp', 'rsync', 'ours']);
  results.local = { files: Number(opt.files) + 1, bytes: Number(du(src)), times: m, bars: [bar('ours/cp -a', m.ours.median / m.cp.median, '<=', 0.7), bar('ours/cp -a (issue 17)', m.ours.median / m.cp.median, '<=', 0.6), bar('ours/rsync -a', m.ours.median / m.rsync.median, '<=', 0.5)] };
}

if (scenarios.includes('shaped')) {
  const t = ensureShapedTree({ shape: 'usr', entries: Number(opt['shaped-entries']), maxSize: 65536, base }, log);
  const m = await alternate('shaped', t.dir, ['cp', 'ours']);
  results.shaped = { entries: t.entries, bytes: Number(du(t.dir)), times: m, bars: [bar('ours/cp -a', m.ours.median / m.cp.median, '<=', 0.6)] };
}

if (scenarios.includes('fuse')) {
  if (!existsSync(fixtureBinary(opt.fixture))) throw new Error(`${fixtureBinary(opt.fixture)} missing: run bench/setup.sh`);
  const src = join(base, `fuse-tree-${opt['fuse-files']}`);
  ensureCorpus(src, Number(opt['fuse-files']), false);
  const mnt = join(base, 'fuse-mnt');
  mkdirSync(mnt, { recursive: true });
  const unmount = await mount(src, mnt, { delayUs: Number(opt['delay-us']), threads: Number(opt.threads), fixture: opt.fixture });
  try {
    const dst = join(base, 'fuse-dst');
    const ours = [];
    // the server's operation count of one run (the counts reset at each read)
    const ops = async () => Object.values((await unmount.opCounts()) ?? {}).reduce((a, b) => a + b, 0);
    let oursOps = 0;
    for (let r = 0; r < runs; r++) {
      await ops();
      ours.push(await timed('ours', TOOLS.ours(mnt, dst, ['-T']), dst));
      oursOps = await ops();
      log(`fuse run ${r + 1}/${runs}: ours ${ours.at(-1).toFixed(2)} s, ${oursOps} operations\n`);
      if (r === 0) verify(src, dst);
    }
    await ops();
    const cp = await timed('cp', TOOLS.cp(mnt, dst), dst);
    const cpOps = await ops();
    log(`fuse: cp -a ${cp.toFixed(2)} s, ${cpOps} operations\n`);
    rmSync(dst, { recursive: true, force: true });
    const m = { ours: { median: median(ours), runs: ours, ops: oursOps }, cp: { median: cp, runs: [cp], ops: cpOps } };
    results.fuse = { files: Number(opt['fuse-files']), delayUs: Number(opt['delay-us']), times: m, bars: [bar('cp -a/ours', cp / m.ours.median, '>=', 20)] };
  } finally {
    unmount();
  }
}

if (scenarios.includes('large')) {
  const src = join(base, `large-${opt['large-files']}x${opt['large-mib']}`);
  if (!existsSync(`${src}.done`)) {
    rmSync(src, { recursive: true, force: true });
    mkdirSync(src, { recursive: true });
    log(`making ${src}…\n`);
    for (let i = 0; i < Number(opt['large-files']); i++) execFileSync('sh', ['-c', `head -c ${opt['large-mib']}M /dev/urandom > big${i}`], { cwd: src });
    writeFileSync(`${src}.done`, '');
  }
  const m = await alternate('large', src, ['cp', 'ours']);
  results.large = { files: Number(opt['large-files']), mib: Number(opt['large-mib']), times: m, bars: [bar('ours/cp -a', m.ours.median / m.cp.median, '<=', 1.1)] };
}

if (scenarios.includes('mirror')) {
  const src = join(base, `tree-${opt.files}`);
  ensureCorpus(src, Number(opt.files), true);
  const old = join(base, `mirror-old-${opt.files}`);
  const extras = ensureOlderCopy(src, old);
  const dst = join(base, 'mirror-dst');
  const argv = { rsync: ['rsync', '-a', '--delete', `${src}/`, `${dst}/`], ours: [process.execPath, CPTREE, '-T', '-u', '--delete', src, dst] };
  const times = { rsync: [], ours: [] };
  for (let r = 0; r < runs; r++) {
    for (const t of r % 2 ? ['ours', 'rsync'] : ['rsync', 'ours']) {
      // untimed: the older copy, afresh
      const s = await timed(t, argv[t], dst, () => execFileSync('cp', ['-a', old, dst]));
      times[t].push(s);
      log(`mirror run ${r + 1}/${runs}: ${t} ${s.toFixed(2)} s\n`);
      if (r === 0) verify(src, dst, ['--delete']);
    }
  }
  rmSync(dst, { recursive: true, force: true });
  const m = { rsync: { median: median(times.rsync), runs: times.rsync }, ours: { median: median(times.ours), runs: times.ours } };
  const ratio = m.ours.median / m.rsync.median;
  results.mirror = { files: Number(opt.files) + 1, ...extras, times: m, bars: [{ name: 'ours/rsync -a --delete', value: +ratio.toFixed(3), bar: 'none', met: null }] };
}

/** An older copy of src at old (made once): every 20th file changed (a
 *  byte longer), an extra file beside every 20th, an extra directory of
 *  three files in every 50th directory. Returns what it made. */
function ensureOlderCopy(src, old) {
  const done = `${old}.json`;
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8'));
  rmSync(old, { recursive: true, force: true });
  execFileSync('cp', ['-a', src, old]);
  const made = { changed: 0, extraFiles: 0, extraDirs: 0 };
  let f = 0;
  let d = 0;
  const walk = (dir) => {
    if (d++ % 50 === 0) {
      mkdirSync(join(dir, 'extra-dir'));
      for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'extra-dir', `x${i}`), 'extra');
      made.extraDirs++;
    }
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.name === 'extra-dir') continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const k = f++;
        if (k % 20 === 0) {
          appendFileSync(p, 'x');
          made.changed++;
        } else if (k % 20 === 10) {
          writeFileSync(`${p}.extra`, 'extra');
          made.extraFiles++;
        }
      }
    }
  };
  walk(old);
  writeFileSync(done, JSON.stringify(made));
  return made;
}

onExit(() => {});
if (opt.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
else {
  for (const [name, r] of Object.entries(results)) {
    const t = Object.entries(r.times).map(([k, v]) => `${k} ${v.median.toFixed(2)} s [${v.runs.map((x) => x.toFixed(2)).join(' ')}]`).join(', ');
    process.stdout.write(`${name}: ${t}\n`);
    for (const b of r.bars) process.stdout.write(`  ${b.name} = ${b.value} (bar ${b.bar}): ${b.bar === 'none' ? 'no bar' : verdict(b.met)}\n`);
  }
}
