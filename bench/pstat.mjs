// pstat against its peers (issue 4), each measured in the same run:
//   --fuse : ~10k file paths of a 4-level tree behind bench/fuse/latencyfs
//            (1 ms an operation): xargs -P 32 -n 50 stat, and a single xargs stat
//   --real DIR: every file of a real tree (e.g. /usr) against xargs stat, with
//            the floor; the bar is the 0.64x issue 17 found there (keep it)
//   --local: 100k paths of a warm local tree: xargs stat, and fs.promises.lstat
//            with pstat's concurrency (256 in flight); then the floor: the
//            kernel's statx of the same paths on every core plus pstat's start
// Medians of --runs N (default 3; the single-xargs FUSE peer runs once).
// --fixture async (latencyfs-async, the default) or threads (latencyfs).
// Needs bench/setup.sh (the fixture) and npm run build.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { run } from './lib/run.mjs';
import { benchBase, ensureScanTree } from './lib/scan-tree.mjs';
import { listFiles } from './lib/tree.mjs';
import { spawnSync } from 'node:child_process';
import { bar, verdict } from './lib/report.mjs';

const { values: opt } = parseArgs({ options: { fuse: { type: 'boolean' }, local: { type: 'boolean' }, real: { type: 'string' }, runs: { type: 'string', default: '3' }, fixture: { type: 'string', default: 'async' } } });
const both = !opt.fuse && !opt.local && !opt.real;
const runs = Number(opt.runs);
const ROOT = new URL('..', import.meta.url).pathname;
const PSTAT = join(ROOT, 'bin/pstat');
const FMT = "'%s %n'";
const scratch = mkdtempSync(join(benchBase(), 'pstat-'));
onExit(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under dir (not directories), one per line, to a list file. */
function listFile(dir, name) {
  const paths = listFiles(dir);
  const file = join(scratch, name);
  writeFileSync(file, paths.map((p) => `${p}\n`).join(''));
  return { file, count: paths.length };
}

const sh = (cmd) => ['sh', '-c', cmd];

async function scenario(title, list, tools, bars) {
  console.log(`\n== ${title}: ${list.count} paths`);
  const times = new Map(tools.map((t) => [t.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const t of tools) {
      if (t.once && r > 0) continue;
      const res = await run(sh(`${t.cmd} < ${list.file} > /dev/null`), { timeoutS: 600 });
      if (res.status !== 0) throw new Error(`${t.name} failed: ${res.stderr}`);
      times.get(t.name).push(res.wallS);
      process.stderr.write(`${title} run ${r + 1}/${runs}  ${t.name.padEnd(34)} ${res.wallS.toFixed(3)} s\n`);
    }
  }
  const med = Object.fromEntries([...times].map(([k, v]) => [k, median(v)]));
  for (const t of tools) console.log(`${t.name.padEnd(40)} ${med[t.name].toFixed(3)} s  (${times.get(t.name).map((x) => x.toFixed(2)).join(' ')})`);
  for (const b of bars) {
    const c = bar(b.label, b.value(med), b.op, b.limit);
    console.log(`${c.name}: ${c.value?.toFixed(2) ?? 'n/a'} (bar ${c.bar}): ${verdict(c.met)}`);
  }
  return med;
}

if (both || opt.fuse) {
  const tree = ensureScanTree({ fanout: 10, depth: 3, files: 9 });
  const mnt = mkdtempSync(join(benchBase(), 'mnt-pstat-'));
  const unmount = await mount(tree.dir, mnt, { delayUs: 1000, threads: 64, fixture: opt.fixture });
  onExit(() => unmount());
  const list = listFile(mnt, 'fuse.list');
  await scenario(`fuse (${opt.fixture} fixture, 1 ms an operation, 64 in service)`, list, [
    { name: 'ours: pstat', cmd: `${PSTAT} -c ${FMT}` },
    { name: 'xargs -P 32 -n 50 stat [peer]', cmd: `xargs -d '\\n' -P 32 -n 50 stat -c ${FMT}` },
    { name: 'xargs stat [peer, once]', cmd: `xargs -d '\\n' stat -c ${FMT}`, once: true },
    // GNU stat's --cached=always on both sides: no GETATTR after each lookup.
    { name: 'ours: pstat --cached=always', cmd: `${PSTAT} --cached=always -c ${FMT}` },
    { name: 'xargs -P 32 stat --cached=always [peer]', cmd: `xargs -d '\\n' -P 32 -n 50 stat --cached=always -c ${FMT}` },
  ], [
    { label: 'ours / xargs -P 32', op: '<=', limit: 0.2, value: (m) => m['ours: pstat'] / m['xargs -P 32 -n 50 stat [peer]'] },
    { label: 'xargs stat / ours', op: '>=', limit: 50, value: (m) => m['xargs stat [peer, once]'] / m['ours: pstat'] },
    { label: 'both --cached=always: ours / xargs -P 32', op: '<=', limit: 0.2, value: (m) => m['ours: pstat --cached=always'] / m['xargs -P 32 stat --cached=always [peer]'] },
  ]);
  await fuseOps(list, unmount.opCounts);
  unmount();
  rmSync(mnt, { recursive: true, force: true });
}

if (both || opt.local) {
  const tree = ensureScanTree({ fanout: 10, depth: 4, files: 9 });
  const list = listFile(tree.dir, 'local.list');
  spawnSync('sh', ['-c', `xargs -d '\\n' stat -c %s < ${list.file} > /dev/null`]); // warm
  const med = await scenario('local (warm)', list, [
    { name: 'ours: pstat', cmd: `${PSTAT} -c ${FMT}` },
    { name: 'xargs stat [peer]', cmd: `xargs -d '\\n' stat -c ${FMT}` },
    { name: 'fs.promises.lstat, 256 in flight [peer]', cmd: `node ${join(ROOT, 'bench/lib/fsp-stat-list.mjs')} /dev/stdin 256` },
  ], [
    { label: 'ours / xargs stat', op: '<=', limit: 0.5, value: (m) => m['ours: pstat'] / m['xargs stat [peer]'] },
    { label: 'fs.promises.lstat / ours (wall, same paths and concurrency)', op: '>=', limit: 1.5, value: (m) => m['fs.promises.lstat, 256 in flight [peer]'] / m['ours: pstat'] },
  ]);
  floor(list, med);
}

if (opt.real) {
  // a real tree's files as they are on this machine (issue 17: keep pstat's lead there)
  const list = listFile(opt.real, 'real.list');
  spawnSync('sh', ['-c', `xargs -d '\\n' stat -c %s < ${list.file} > /dev/null`]); // warm
  const med = await scenario(`real tree ${opt.real} (warm)`, list, [
    { name: 'ours: pstat', cmd: `${PSTAT} -c ${FMT}` },
    { name: 'xargs stat [peer]', cmd: `xargs -d '\\n' stat -c ${FMT}` },
  ], [
    { label: 'ours / xargs stat', op: '<=', limit: 0.64, value: (m) => m['ours: pstat'] / m['xargs stat [peer]'] },
  ]);
  floor(list, med, 0.64);
}

/** pstat's own start with no input (median of 5 runs), seconds. */
function pstatStart() {
  const t = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    spawnSync(PSTAT, ['--from', '/dev/null']);
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(t);
}

/** The server's operations for one more run of ours and of the parallel
 *  peer: with 64 in service and 1 ms each, ops / 64 ms is a floor for any
 *  client that asks the same questions; ops per ms after pstat's start is
 *  the rate the fixture actually served ours. */
async function fuseOps(list, opCounts) {
  const sum = (c) => Object.values(c).reduce((a, b) => a + b, 0);
  const start = pstatStart();
  for (const [name, cmd] of [['ours', `${PSTAT} -c ${FMT}`], ['xargs -P 32', `xargs -d '\\n' -P 32 -n 50 stat -c ${FMT}`]]) {
    await opCounts();
    const r = await run(sh(`${cmd} < ${list.file} > /dev/null`), { timeoutS: 600 });
    const c = await opCounts();
    if (!c) return console.log('ops: the server did not report its counts');
    // latencyfs (high-level libfuse) counts a LOOKUP as a getattr of its path.
    const each = Object.entries(c).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(' ');
    const rate = name === 'ours' ? `; this run ${r.wallS.toFixed(3)} s, ${(sum(c) / ((r.wallS - start) * 1000)).toFixed(1)} ops per ms after pstat's start (${start.toFixed(3)} s)` : '';
    console.log(`ops: ${name}: ${each}, ${sum(c)} in all; at 64 in service, 1 ms each: >= ${(sum(c) / 64 / 1000).toFixed(3)} s${rate}`);
  }
}

/** What no tool could beat here: the kernel's statx of these paths on every
 *  core (bench/floor/statx-floor.c, the list read beforehand, no output) plus
 *  pstat's own start with no input; against the bar (factor x xargs stat). */
function floor(list, med, factor = 0.5) {
  const bin = join(ROOT, 'build/bench/statx-floor');
  const cores = availableParallelism();
  const stat = [];
  for (let r = 0; r < Math.max(runs, 5); r++) {
    const f = spawnSync(bin, [list.file, String(cores)], { encoding: 'utf8' });
    if (f.status !== 0) return console.log(`floor: ${bin} failed (run bench/setup.sh): ${f.stderr || f.error}`);
    stat.push(Number(/stat-seconds ([\d.]+)/.exec(f.stdout)[1]));
  }
  const s = median(stat), b = pstatStart(), limit = factor * med['xargs stat [peer]'];
  console.log(`floor: statx of the ${list.count} paths on ${cores} threads, nothing else: ${s.toFixed(3)} s; pstat's start with no input: ${b.toFixed(3)} s; sum ${(s + b).toFixed(3)} s, against the bar's ${limit.toFixed(3)} s (ours ${med['ours: pstat'].toFixed(3)} s)`);
}
