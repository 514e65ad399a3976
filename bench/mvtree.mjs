// Tree move benchmark (issue 14): our mvtree against mv, run alternately in
// the same run, each on a tree made anew (untimed: cp -a from the corpus)
// before it; wall-time medians, ratios and the issue's bars.
//
//   node bench/mvtree.mjs [--cross] [--same] [--fuse] [--runs N] [--fuse-runs N]
//       [--files 100000] [--fuse-files 10000] [--delay-us 1000] [--threads 64]
//       [--fixture async|threads] [--json] [--base /dev/shm/ioaio-bench-mvtree]
//
// Scenarios (all unless some are named):
//   cross  the copy corpus (bench/lib/corpus.mjs: --files files and a sparse
//          file) from one tmpfs to another (two tmpfs mounts made here):
//          ours <= 0.4 x mv; ours --no-sync beside it, and the syncfs's own
//          time from ours --summary: what the default durability costs
//   same   the same tree renamed within one tmpfs: ours <= mv + 0.05 s, with
//          Node's own start (env -u NODE_EXTRA_CA_CERTS node -e 0, alternated
//          with the others) beside it: the floor of any Node program
//   fuse   the corpus of --fuse-files files (no sparse file) moved out of
//          latencyfs-async (or --fixture threads: 1 ms an operation, 64 in
//          service, mounted rw so the source can be removed) to a tmpfs:
//          mv/ours >= 20, with the server's operation counts for each;
//          --fuse-runs rounds (mv takes minutes a run)
// Each tool's result is checked once against a reference (rsync -aHAX
// --checksum) before its times count, so mv's and ours are the same tree.
// Needs root (mount) and, for fuse, bench/setup.sh once.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { fixtureBinary, mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { bar, log, verdict } from './lib/report.mjs';
import { run } from './lib/run.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const MVTREE = join(HERE, '..', 'bin', 'mvtree');

const { values: opt } = parseArgs({
  options: {
    cross: { type: 'boolean', default: false },
    same: { type: 'boolean', default: false },
    fuse: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'fuse-runs': { type: 'string', default: '3' },
    files: { type: 'string', default: '100000' },
    'fuse-files': { type: 'string', default: '10000' },
    'delay-us': { type: 'string', default: '1000' },
    threads: { type: 'string', default: '64' },
    fixture: { type: 'string', default: 'async' },
    json: { type: 'boolean', default: false },
    base: { type: 'string', default: '/dev/shm/ioaio-bench-mvtree' },
  },
});
const picked = ['cross', 'same', 'fuse'].filter((s) => opt[s]);
const scenarios = picked.length ? picked : ['cross', 'same', 'fuse'];
const base = opt.base;
const results = {};
// Ours starts as bin/mvtree does (its shebang is env -S -u
// NODE_EXTRA_CA_CERTS node): run by path through process.execPath, it would
// otherwise read the certificates file that variable names (~45 ms here).
const nodeEnv = { ...process.env };
delete nodeEnv.NODE_EXTRA_CA_CERTS;

/** argv from (src, dst); env; moves: false for the floor, which moves nothing (so leaves its source). */
const TOOLS = {
  mv: { argv: (src, dst) => ['mv', src, dst], env: process.env },
  ours: { argv: (src, dst) => [process.execPath, MVTREE, '--summary', src, dst], env: nodeEnv },
  'ours --no-sync': { argv: (src, dst) => [process.execPath, MVTREE, '--no-sync', src, dst], env: nodeEnv },
  'node -e 0': { argv: () => ['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0'], env: process.env, moves: false },
};

const A = join(base, 'fs-a');
const B = join(base, 'fs-b');
function mountBoth() {
  for (const m of [A, B]) {
    mkdirSync(m, { recursive: true });
    spawnSync('umount', ['-l', m]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8g', 'ioaio-bench-mvtree', m]);
  }
  onExit(() => {
    for (const m of [A, B]) spawnSync('umount', ['-l', m]);
  });
}

function verify(ref, dst, tool) {
  const out = execFileSync('rsync', ['-aHAX', '--dry-run', '--itemize-changes', '--checksum', `${ref}/`, `${dst}/`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (out !== '') throw new Error(`${tool}'s move differs from the reference (rsync -n):\n${out.slice(0, 2000)}`);
}

/**
 * Alternates the tools (rotating who goes first), `runs` rounds; before each
 * run a fresh copy of ref is made at `stage` (untimed), and the tool moves
 * `src` (the same tree: stage, or stage seen through a FUSE mount) to dst.
 * ops(), if given, reads and resets the FUSE server's operation counts.
 * rename: the move is a rename within one filesystem, so the tree is copied
 * once and renamed back (untimed) between runs. Perf of the bench, not of
 * the tools: freeing and refilling 415 MB before each run left this VM's
 * next process starting up to twice as slowly (Node's own bootstrap 17 ms
 * -> 31 ms, the guest's CPUs idle meanwhile; its virtio balloon reports
 * freed pages to the host, which must fault them in again), which fell on
 * Node programs and hardly on mv.
 */
async function alternate(label, ref, { stage, src, dst, ops, rename = false }, tools, runs) {
  const times = Object.fromEntries(tools.map((t) => [t, []]));
  const counts = {};
  const syncs = [];
  for (let r = 0; r < runs; r++) {
    for (const t of tools.map((_, i) => tools[(i + r) % tools.length])) {
      const tool = TOOLS[t];
      if (rename && existsSync(dst)) renameSync(dst, stage);
      else if (!rename || !existsSync(stage)) {
        rmSync(dst, { recursive: true, force: true });
        rmSync(stage, { recursive: true, force: true });
        execFileSync('cp', ['-a', ref, stage]);
      }
      await ops?.();
      const res = await run(tool.argv(src, dst), { timeoutS: 1800, env: tool.env });
      if (ops) counts[t] = await ops();
      if (res.status !== 0 || res.timedOut) throw new Error(`${t} failed (${res.status}): ${res.stderr}`);
      if (tool.moves !== false) {
        if (existsSync(src)) throw new Error(`${t} left its source`);
        if (r === 0) verify(ref, dst, t);
      }
      times[t].push(res.wallS);
      const sync = /; sync ([\d.]+) s;/.exec(res.stderr ?? '');
      if (t === 'ours' && sync) syncs.push(Number(sync[1]));
      log(`${label} run ${r + 1}/${runs}: ${t} ${res.wallS.toFixed(3)} s${ops ? `; server: ${opsLine(counts[t])}` : ''}\n`);
    }
  }
  rmSync(dst, { recursive: true, force: true });
  const out = Object.fromEntries(tools.map((t) => [t, { median: median(times[t]), runs: times[t] }]));
  if (syncs.length) out.ours.syncS = median(syncs);
  if (ops) for (const t of tools) out[t].ops = counts[t];
  return out;
}

function opsLine(c) {
  if (!c) return 'no counts (the server did not answer SIGUSR1)';
  const nonzero = Object.entries(c).filter(([, v]) => v > 0);
  return `${nonzero.map(([k, v]) => `${k}=${v}`).join(' ')}, ${nonzero.reduce((s, [, v]) => s + v, 0)} in all`;
}


mkdirSync(base, { recursive: true });
log(`mvtree benchmark: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}, ${opt.runs} runs (fuse: ${opt['fuse-runs']})\n`);
mountBoth();
const runs = Number(opt.runs);
const ref = join(base, `corpus-${opt.files}`);
if (scenarios.includes('cross') || scenarios.includes('same')) ensureCorpus(ref, Number(opt.files), true);

if (scenarios.includes('cross')) {
  const m = await alternate('cross', ref, { stage: join(A, 'tree'), src: join(A, 'tree'), dst: join(B, 'moved') }, ['mv', 'ours', 'ours --no-sync'], runs);
  results.cross = {
    files: Number(opt.files) + 1,
    times: m,
    syncCost: +(m.ours.median - m['ours --no-sync'].median).toFixed(3),
    syncS: m.ours.syncS,
    bars: [bar('ours/mv (tmpfs -> tmpfs)', m.ours.median / m.mv.median, '<=', 0.4)],
  };
}

if (scenarios.includes('same')) {
  const m = await alternate('same', ref, { stage: join(A, 'tree'), src: join(A, 'tree'), dst: join(A, 'moved'), rename: true }, ['mv', 'ours', 'node -e 0'], runs);
  const floor = m['node -e 0'].median;
  results.same = {
    times: m,
    floor,
    oursMinusFloor: +(m.ours.median - floor).toFixed(3),
    bars: [bar('ours - mv (s, one filesystem)', m.ours.median - m.mv.median, '<=', 0.05)],
    // What a Node program cannot go below: mv's wall + 0.05 s is under it when floor - mv > 0.05.
    floorNote: `floor = node start ${floor.toFixed(3)} s = mv + ${(floor - m.mv.median).toFixed(3)} s${floor - m.mv.median > 0.05 ? ': the bar is below the floor of any Node program here' : ''}; ours - floor = ${(m.ours.median - floor).toFixed(3)} s`,
  };
}

if (scenarios.includes('fuse')) {
  if (!existsSync(fixtureBinary(opt.fixture))) throw new Error(`${fixtureBinary(opt.fixture)} is missing: run bench/setup.sh`);
  const fuseRef = join(base, `fuse-corpus-${opt['fuse-files']}`);
  ensureCorpus(fuseRef, Number(opt['fuse-files']), false);
  const stageDir = join(base, 'fuse-src');
  const mnt = join(base, 'fuse-mnt');
  rmSync(join(stageDir, 'tree'), { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  mkdirSync(mnt, { recursive: true });
  const delayUs = Number(opt['delay-us']);
  const threads = Number(opt.threads);
  // rw: the fixture then serves unlink and rmdir, the source's removal; the
  // copy's writes go to the tmpfs, and rename across them is EXDEV in the kernel.
  const unmount = await mount(stageDir, mnt, { delayUs, threads, fixture: opt.fixture, writable: true, log });
  try {
    log(`fuse: ${opt['fuse-files']} files below ${opt.fixture === 'async' ? 'latencyfs-async' : 'latencyfs'}, ${delayUs} us an operation, ${threads} in service, to tmpfs ${B}\n`);
    // The tree is made beside the mount (its source directory): the server sees only the move.
    const m = await alternate('fuse', fuseRef, { stage: join(stageDir, 'tree'), src: join(mnt, 'tree'), dst: join(B, 'moved'), ops: () => unmount.opCounts() }, ['mv', 'ours'], Number(opt['fuse-runs']));
    results.fuse = {
      files: Number(opt['fuse-files']),
      delayUs,
      threads,
      fixture: opt.fixture,
      times: m,
      bars: [bar('mv/ours (1 ms FUSE -> tmpfs)', m.mv.median / m.ours.median, '>=', 20)],
    };
  } finally {
    unmount();
    rmSync(stageDir, { recursive: true, force: true });
  }
}

if (opt.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
else {
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n${name}:`);
    for (const [t, v] of Object.entries(r.times)) console.log(`  ${t.padEnd(16)} ${v.median.toFixed(3)} s  (runs ${v.runs.map((x) => x.toFixed(3)).join(', ')})`);
    if (r.syncCost !== undefined) console.log(`  durability: ours - ours --no-sync ${r.syncCost.toFixed(3)} s (medians; run-to-run noise included); the syncfs itself, as ours --summary measures it: ${r.syncS?.toFixed(3)} s`);
    if (r.floorNote) console.log(`  ${r.floorNote}`);
    if (name === 'fuse') for (const [t, v] of Object.entries(r.times)) console.log(`  server operations, ${t}'s last run: ${opsLine(v.ops)}`);
    for (const b of r.bars) console.log(`  ${b.name}: ${b.value} (bar ${b.bar}: ${verdict(b.met)})`);
  }
}
