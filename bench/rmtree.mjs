// Tree removal benchmark (issue 13): our rmtree against rm -rf and Node's
// fs.promises.rm({ recursive: true }), run alternately in the same run, each
// on a tree made anew (untimed) before it; wall-time medians, ratios, the
// issue's bars, and the kernel's floor (bench/floor/rm-floor.c: the same
// unlinks and rmdirs on every core, no JS) beside them.
//
//   node bench/rmtree.mjs [--local] [--real] [--fuse] [--runs N] [--rm-runs N] [--json]
//       [--fanout 10] [--depth 4] [--files 9] [--fuse-depth 3]
//       [--real-src /usr/share] [--delay-us 1000] [--threads 64]
//       [--fixture async|threads] [--base /dev/shm/ioaio-bench-rmtree] [--keep]
//
// Scenarios (local and fuse unless some are named):
//   local  the 100k-file corpus shape on tmpfs: --fanout dirs a dir, --depth
//          levels, --files files a dir (10, 4, 9: 11,111 dirs, 99,999 files):
//          ours/rm <= 0.6, ours/fs.rm <= 0.6
//   real   a copy (cp -a, untimed) of a real tree of this machine (--real-src)
//          on tmpfs: the same peers, no bar (the check that a figure holds
//          beyond the generated tree)
//   fuse   the same shape --fuse-depth deep (10, 3, 9: 11,110 entries) below
//          latencyfs-async (or --fixture threads), 1 ms an operation, 64 in
//          service, mounted rw: rm/ours >= 15, with the server's operation
//          counts for each; rm -rf runs --rm-runs times (it takes ~30 s)
// --keep leaves --base in place at the end (FUSE mounts are still undone),
// with one tree of each scenario run made again in it, to look at by hand.
// Needs bench/setup.sh once (the FUSE fixtures, rm-floor and make-tree).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { makeTree } from './lib/scan-tree.mjs';
import { fixtureBinary, mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { run } from './lib/run.mjs';
import { bar, log, verdict } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const RMTREE = join(HERE, '..', 'bin', 'rmtree');
const BUILD = join(HERE, '..', 'build', 'bench');
const RM_FLOOR = join(BUILD, 'rm-floor');
const FSP_RM = join(HERE, 'lib', 'fsp-rm.mjs');

const { values: opt } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
    fuse: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    'rm-runs': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    fanout: { type: 'string', default: '10' },
    depth: { type: 'string', default: '4' },
    files: { type: 'string', default: '9' },
    'fuse-depth': { type: 'string', default: '3' },
    'real-src': { type: 'string', default: '/usr/share' },
    'delay-us': { type: 'string', default: '1000' },
    threads: { type: 'string', default: '64' },
    fixture: { type: 'string', default: 'async' },
    base: { type: 'string', default: '/dev/shm/ioaio-bench-rmtree' },
    keep: { type: 'boolean', default: false },
  },
});
const picked = ['local', 'real', 'fuse'].filter((s) => opt[s]);
const scenarios = picked.length ? picked : ['local', 'fuse'];
const runs = Number(opt.runs);
const base = opt.base;
const results = {};
// Node peers start as rmtree's bin does: without NODE_EXTRA_CA_CERTS, which
// costs every Node start a read of the file it names.
const nodeEnv = { ...process.env };
delete nodeEnv.NODE_EXTRA_CA_CERTS;

const TOOLS = {
  ours: (p) => [RMTREE, p],
  rm: (p) => ['rm', '-rf', p],
  'fs.rm': (p) => [process.execPath, FSP_RM, p],
  floor: (p, jobs) => [RM_FLOOR, ...(jobs ? ['-j', String(jobs)] : []), p],
};

for (const need of [RM_FLOOR]) if (!existsSync(need)) throw new Error(`${need} is missing: run bench/setup.sh`);
if (!existsSync(join(HERE, '..', 'dist', 'bundle', 'ioaio.cjs'))) throw new Error('dist/bundle is missing: run npm run build');

const makeAt = (dir, depth) => makeTree(dir, { fanout: opt.fanout, depth, files: opt.files });

/** Runs tool on a fresh tree made by make(); checks it worked and the tree is gone. */
async function timed(tool, dir, make, extra) {
  make();
  const r = await run(TOOLS[tool](dir, extra), { env: tool === 'ours' || tool === 'fs.rm' ? nodeEnv : process.env, timeoutS: 600 });
  if (r.status !== 0 || r.timedOut) throw new Error(`${tool} on ${dir}: status ${r.status}${r.timedOut ? ' (timed out)' : ''}\n${r.stderr}`);
  if (existsSync(dir)) throw new Error(`${tool} exited 0 but ${dir} is still there`);
  return r.wallS;
}

function fmt(s) {
  return s === null ? '-' : `${s.toFixed(3)} s`;
}

function report(name, times, bars, floorNote) {
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  log(`\n${name}: medians\n`);
  for (const [k, v] of Object.entries(times)) log(`  ${k.padEnd(7)} ${fmt(med[k])}   runs: ${v.map((x) => x.toFixed(3)).join(' ')}\n`);
  log(`  ours/floor: ${(med.ours / med.floor).toFixed(2)}x (${floorNote}${med.start ? `; rmtree's start on a missing path: ${fmt(med.start)}` : ''})\n`);
  // What no Node program can beat: the kernel's work plus rmtree's own start.
  if (med.start && med.rm) log(`  floor + start: ${fmt(med.floor + med.start)} = ${((med.floor + med.start) / med.rm).toFixed(2)}x rm -rf (the least a Node tool's ratio can be here)\n`);
  for (const [label, ratio, limit, op] of bars(med)) {
    const b = bar(label, ratio, op, limit);
    log(`  ${b.name}: ${b.value === null ? 'n/a' : `${b.value.toFixed(2)}x`}  (bar ${b.bar}x: ${verdict(b.met)})\n`);
  }
  results[name] = { medians: med, runs: times };
}

/** rmtree's start alone, for the floor line: a missing path, nothing to do. */
async function startTimes(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await run([RMTREE, join(base, 'no-such-tree')], { env: nodeEnv })).wallS);
  return out;
}

const tmpfsBars = (m) => [
  ['ours/rm -rf', m.ours / m.rm, 0.6, '<='],
  ['ours/fs.promises.rm', m.ours / m['fs.rm'], 0.6, '<='],
];

/** Each tool once a round on a tree make() makes, the order reversed every other round. */
async function alternate(dir, make, times) {
  const order = ['ours', 'rm', 'fs.rm', 'floor'];
  for (const t of order) times[t] = [];
  for (let i = 0; i < runs; i++) {
    for (const t of i % 2 ? [...order].reverse() : order) times[t].push(await timed(t, dir, make));
    log(`  run ${i + 1}/${runs}: ${order.map((t) => `${t} ${times[t].at(-1).toFixed(3)}`).join(', ')}\n`);
  }
  return times;
}

async function local() {
  const dir = join(base, 'tree');
  const make = () => makeAt(dir, Number(opt.depth));
  rmSync(dir, { recursive: true, force: true }); // left by --keep
  const entries = make();
  rmSync(dir, { recursive: true });
  log(`local: ${entries} entries (${opt.fanout} dirs a dir, depth ${opt.depth}, ${opt.files} files a dir) on tmpfs ${base}\n`);
  const times = await alternate(dir, make, { start: await startTimes(runs) });
  if (opt.keep) make();
  report('local', times, tmpfsBars, `the floor: the kernel's unlinks and rmdirs on ${availableParallelism()} threads, no JS`);
}

async function real() {
  const src = opt['real-src'];
  const dir = join(base, 'real');
  const entries = Number(execFileSync('sh', ['-c', 'find "$1" | wc -l', 'sh', src], { encoding: 'utf8' }).trim());
  log(`\nreal: a copy of ${src} (${entries} entries) on tmpfs, made with cp -a before each run\n`);
  const make = () => execFileSync('cp', ['-a', src, dir]);
  rmSync(dir, { recursive: true, force: true }); // left by --keep
  const times = await alternate(dir, make, { start: await startTimes(runs) });
  if (opt.keep) make();
  report('real', times, tmpfsBars, `the floor: the kernel's unlinks and rmdirs on ${availableParallelism()} threads, no JS; the local bars, as a reference`);
}

function opsLine(c) {
  if (!c) return 'no counts (the server did not answer SIGUSR1)';
  const nonzero = Object.entries(c).filter(([, v]) => v > 0);
  return `${nonzero.map(([k, v]) => `${k}=${v}`).join(' ')}, ${nonzero.reduce((s, [, v]) => s + v, 0)} in all`;
}

async function fuse() {
  fixtureBinary(opt.fixture);
  const src = join(base, 'fuse-src');
  const mnt = join(base, 'fuse-mnt');
  mkdirSync(src, { recursive: true });
  mkdirSync(mnt, { recursive: true });
  const delayUs = Number(opt['delay-us']);
  const threads = Number(opt.threads);
  const unmount = await mount(src, mnt, { delayUs, threads, fixture: opt.fixture, writable: true, log });
  try {
    const depth = Number(opt['fuse-depth']);
    // Made in the source, beside the mount: the server sees only the removal.
    const make = () => makeAt(join(src, 'tree'), depth);
    rmSync(join(src, 'tree'), { recursive: true, force: true }); // left by --keep
    const entries = make();
    rmSync(join(src, 'tree'), { recursive: true });
    const dir = join(mnt, 'tree');
    log(`\nfuse: ${entries} entries below ${opt.fixture === 'async' ? 'latencyfs-async' : 'latencyfs'}, ${delayUs} us an operation, ${threads} in service\n`);
    const times = { ours: [], rm: [], floor: [], start: await startTimes(runs) };
    const ops = {};
    const one = async (t) => {
      await unmount.opCounts(); // reset
      const jobs = t === 'floor' ? threads : undefined;
      times[t].push(await timed(t, dir, make, jobs));
      ops[t] = await unmount.opCounts();
      log(`  ${t} ${times[t].at(-1).toFixed(3)} s; server: ${opsLine(ops[t])}\n`);
    };
    for (let i = 0; i < runs; i++) {
      await one('ours');
      await one('floor');
      if (i < Number(opt['rm-runs'])) await one('rm');
    }
    if (opt.keep) make(); // in the source: what was below the mount
    report('fuse', times, (m) => [['rm -rf/ours', m.rm / m.ours, 15, '>=']], `the floor: the same operations from ${threads} threads, no JS`);
    log(`  operations, last run each: ours: ${opsLine(ops.ours)}; rm -rf: ${opsLine(ops.rm)}; floor (-j ${threads}): ${opsLine(ops.floor)}\n`);
    results.fuse.ops = ops;
  } finally {
    unmount();
  }
}

mkdirSync(base, { recursive: true });
onExit(() => (opt.keep ? log(`--keep: ${base} left in place\n`) : rmSync(base, { recursive: true, force: true })));
const fsType = spawnSync('stat', ['-f', '-c', '%T', base], { encoding: 'utf8' }).stdout.trim();
log(`rmtree bench: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}, ${base} on ${fsType}, ${runs} runs\n`);
for (const s of scenarios) await { local, real, fuse }[s]();
if (opt.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
