// -j auto (issue 18) against a sweep of fixed -j, in the same run, for
// treescan (the 11k-entry scan tree), pstat (its 9,999 file paths) and
// cptree (the 10k-file corpus, to tmpfs), behind the latency FUSE fixture
// (latencyfs-async) at several settings:
//   1 ms/8, 1 ms/64, 5 ms/256, 0.2 ms/16 (µs an operation / operations in service)
//   1 ms/64 seen through overlayfs (its type reads as local: -j auto starts at 8)
//   step: 0.2 ms/256 stepping to 5 ms halfway (the fixture's step_ops, set
//         to half the operations one default run makes)
// and on warm local trees against today's fixed default (-j 8):
//   the 555k scan, the 100k pstat list, the 100k copy tmpfs -> tmpfs
//   (run first, seven alternations).
//
//   node bench/concurrency.mjs [--runs 3] [--sweep-runs 1] [--only treescan,pstat,cptree]
//       [--settings 1000/8,1000/64,5000/256,200/16,overlay,step] [--no-local] [--no-fuse] [--json]
//
// Bars: on the fixture, default <= 1.15x the best fixed -j of the sweep
// (step: <= 1.25x); local, default <= 1.05x -j 8. The sweep runs from 512
// down and stops once a -j takes over 2x the best so far: below the knee
// time only grows as -j falls (each halving at most doubles it), so the
// best is never below that point. Printed per row: the sweep, the best, the
// default's time and where its concurrency started, ended and went, and the
// floor of any controller that must see a request come back before it acts:
// the best's time plus the first completion's wait times the share of the
// best -j the start lacks (an estimate from measured parts, so marked).
// Needs bench/setup.sh (fixtures) and npm run build.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { mount } from './lib/fuse.mjs';
import { median } from './lib/measure.mjs';
import { bar, log, verdict } from './lib/report.mjs';
import { run } from './lib/run.mjs';
import { benchBase, ensureScanTree } from './lib/scan-tree.mjs';
import { listFiles } from './lib/tree.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = (c) => join(ROOT, 'bin', c);
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'sweep-runs': { type: 'string', default: '1' },
    only: { type: 'string', default: 'treescan,pstat,cptree' },
    settings: { type: 'string', default: '1000/8,1000/64,5000/256,200/16,overlay,step' },
    'no-local': { type: 'boolean', default: false },
    'no-fuse': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(opt.runs);
const sweepRuns = Number(opt['sweep-runs']);
const only = new Set(opt.only.split(','));
const SWEEP = [512, 256, 128, 64, 32, 16, 8, 4, 2, 1];
const base = '/dev/shm/ioaio-bench-concurrency';
mkdirSync(base, { recursive: true });
const results = { cpus: availableParallelism(), load: loadavg()[0], fuse: [], local: [] };

/** argv for a command over src (cptree: into a fresh dst, made by prepare). */
function commands(src, list) {
  const dst = join(base, 'copy-dst');
  return {
    treescan: { argv: (j) => [process.execPath, BIN('treescan'), '-q', '--summary', ...j, src] },
    pstat: { argv: (j) => [process.execPath, BIN('pstat'), '--summary', '--from', list, ...j] },
    cptree: { argv: (j) => [process.execPath, BIN('cptree'), '--summary', ...j, src, dst], prepare: () => rmSync(dst, { recursive: true, force: true }) },
  };
}

/** One timed run; its concurrency from the --summary line. */
async function once(cmd, j) {
  cmd.prepare?.();
  const r = await run(cmd.argv(j), { timeoutS: 600 });
  if (r.status !== 0 || r.timedOut) throw new Error(`${cmd.argv(j).join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const m = /-j auto (\d+)->(\d+) \((\d+)\.\.(\d+), (\d+) changes?\)/.exec(r.stderr);
  return { s: r.wallS, conc: m ? { start: +m[1], final: +m[2], lowest: +m[3], highest: +m[4], changes: +m[5] } : undefined };
}

async function timed(cmd, j, n, before) {
  const t = [];
  let conc;
  for (let i = 0; i < n; i++) {
    before?.();
    const r = await once(cmd, j);
    t.push(r.s);
    conc ??= r.conc;
    if (r.conc) conc = r.conc; // the last run's
  }
  return { median: median(t), runs: t, conc };
}

/** The sweep (from 512 down, pruned), then the default, for one command. */
async function row(label, name, cmd, limit, before) {
  const sweep = [];
  let best;
  for (const j of SWEEP) {
    const m = await timed(cmd, ['-j', String(j)], sweepRuns, before);
    sweep.push({ j, s: m.median });
    if (!best || m.median < best.s) best = { j, s: m.median };
    log(`${label} ${name} -j ${j}: ${m.median.toFixed(3)} s\n`);
    if (m.median > 2 * best.s) break;
  }
  const d = await timed(cmd, [], runs, before);
  const ratio = d.median / best.s;
  const c = d.conc;
  // The floor of any controller that measures before it acts, started
  // where the default starts: nothing is known before the first request
  // comes back, so until then the start's threads work alone (at best
  // start/best.j of the best's rate), and from then on the best -j
  // (estimated from one more default run's IOAIO_DEBUG=concurrency log).
  before?.();
  cmd.prepare?.();
  const dbg = await run(cmd.argv([]), { timeoutS: 600, env: { ...process.env, IOAIO_DEBUG: 'concurrency' } });
  const first = /first completion at ([\d.]+) s/.exec(dbg.stderr);
  const startJ = c?.start;
  const floor = first && startJ ? best.s + Number(first[1]) * Math.max(0, 1 - startJ / best.j) : null;
  log(`${label} ${name} default: ${d.median.toFixed(3)} s [${d.runs.map((x) => x.toFixed(2)).join(' ')}], ${c ? `${c.start}->${c.final} (${c.lowest}..${c.highest})` : '?'}; best -j ${best.j} ${best.s.toFixed(3)} s; ${ratio.toFixed(2)}x\n`);
  if (floor) log(`${label} ${name}: first completion at ${first[1]} s; floor for a start at ${startJ}: ${floor.toFixed(3)} s (${(floor / best.s).toFixed(2)}x the best)\n`);
  return { setting: label, command: name, sweep, best, default: { s: d.median, runs: d.runs, concurrency: c }, floor: floor && { s: floor, firstCompletionS: Number(first[1]), ratio: floor / best.s }, check: bar(`${label} ${name}: default / best fixed`, ratio, '<=', limit) };
}

// ---- the FUSE fixture ----

async function fuseSetting(spec) {
  const overlay = spec === 'overlay';
  const step = spec === 'step';
  const [delayUs, threads] = overlay ? [1000, 64] : step ? [200, 256] : spec.split('/').map(Number);
  const label = overlay ? 'overlay(1000/64)' : step ? 'step(200->5000/256)' : `fuse ${delayUs}/${threads}`;
  const scan = ensureScanTree({ fanout: 10, depth: 3, files: 9 });
  const corpus = join(base, 'corpus-10000');
  ensureCorpus(corpus, 10000, false);
  const out = [];
  for (const name of ['treescan', 'pstat', 'cptree'].filter((n) => only.has(n))) {
    const src = name === 'cptree' ? corpus : scan.dir;
    const mnt = mkdtempSync(join(benchBase(), 'mnt-conc-'));
    const ovl = overlay ? mkdtempSync(join(benchBase(), 'ovl-conc-')) : undefined;
    const empty = overlay ? mkdtempSync(join(benchBase(), 'ovl-empty-')) : undefined;
    let unmount = await mount(src, mnt, { delayUs, threads });
    const cleanup = () => {
      if (ovl) spawnSync('umount', [ovl]);
      unmount();
      for (const d of [ovl, empty, mnt]) if (d) try { rmdirSync(d); } catch {}
    };
    const unregister = onExit(cleanup);
    try {
      let top = mnt;
      if (overlay) {
        // two lower layers and no upper: a read-only overlay (one lower alone is refused)
        const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${mnt}:${empty}`, ovl], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`overlay mount failed: ${r.stderr}`);
        top = ovl;
      }
      const list = join(base, `${name}.list`);
      // the source's paths under the mount (listing through the fixture would take its latency per directory)
      if (name === 'pstat') writeFileSync(list, listFiles(src).map((p) => top + p.slice(src.length)).join('\n') + '\n');
      const cmd = commands(top, list)[name];
      let before;
      if (step) {
        // ops of one default run at the first delay, then the step at half of them
        await unmount.opCounts();
        await once(cmd, []);
        const ops = Object.values((await unmount.opCounts()) ?? {}).reduce((a, b) => a + b, 0);
        unmount();
        unmount = await mount(src, mnt, { delayUs, threads, step: { ops: Math.max(1, Math.floor(ops / 2)), delayUs: 5000 } });
        log(`${label} ${name}: ${ops} operations a run; the latency steps to 5000 µs after ${Math.floor(ops / 2)}\n`);
        before = () => unmount.rearm();
      }
      out.push(await row(label, name, cmd, step ? 1.25 : 1.15, before));
    } finally {
      cleanup();
      unregister?.();
    }
  }
  return out;
}

// ---- warm local trees: the default against today's -j 8 ----

async function localRows() {
  const out = [];
  const alternate = async (label, name, cmd) => {
    const t = { auto: [], fixed: [] };
    let conc;
    for (let r = 0; r < Math.max(runs, 7); r++) {
      for (const k of r % 2 ? ['fixed', 'auto'] : ['auto', 'fixed']) {
        const x = await once(cmd, k === 'fixed' ? ['-j', '8'] : []);
        t[k].push(x.s);
        if (k === 'auto') conc = x.conc;
      }
    }
    const a = median(t.auto), f = median(t.fixed);
    log(`${label} ${name}: default ${a.toFixed(3)} s [${t.auto.map((x) => x.toFixed(2)).join(' ')}] (${conc ? `${conc.start}->${conc.final}, ${conc.lowest}..${conc.highest}` : '?'}), -j 8 ${f.toFixed(3)} s [${t.fixed.map((x) => x.toFixed(2)).join(' ')}]\n`);
    out.push({ setting: label, command: name, default: { s: a, runs: t.auto, concurrency: conc }, fixed8: { s: f, runs: t.fixed }, check: bar(`${label} ${name}: default / -j 8`, a / f, '<=', 1.05) });
  };
  if (only.has('treescan')) {
    const tree = ensureScanTree({ fanout: 10, depth: 5, files: 4 });
    execFileSync('find', [tree.dir], { stdio: 'ignore' }); // warm
    await alternate(`local ${tree.entries} entries`, 'treescan', commands(tree.dir, '').treescan);
  }
  if (only.has('pstat')) {
    const tree = ensureScanTree({ fanout: 10, depth: 4, files: 9 });
    const list = join(base, 'local.list');
    writeFileSync(list, listFiles(tree.dir).join('\n') + '\n');
    await alternate(`local ${listFiles(tree.dir).length} paths`, 'pstat', commands(tree.dir, list).pstat);
  }
  if (only.has('cptree')) {
    const src = '/dev/shm/ioaio-bench-cptree/tree-100000';
    ensureCorpus(src, 100000, true);
    await alternate('local 100k corpus tmpfs->tmpfs', 'cptree', commands(src, '').cptree);
  }
  return out;
}

log(`concurrency benchmark: ${results.cpus} cores, load ${results.load.toFixed(2)}, default runs ${runs}, sweep runs ${sweepRuns}\n`);
// local first, on a quiet machine: after the FUSE sweeps (hundreds of
// threads, servers torn down) the same local runs read up to 10 % slower
if (!opt['no-local']) results.local = await localRows();
if (!opt['no-fuse']) for (const s of opt.settings.split(',')) results.fuse.push(...(await fuseSetting(s)));
rmSync(join(base, 'copy-dst'), { recursive: true, force: true });

// ---- the table ----
const lines = [];
lines.push('| setting | command | sweep: -j → s | best fixed | default (-j auto) | settled on (start→end, range) | ratio | bar | floor (est.) |');
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const r of results.fuse) {
  const c = r.default.concurrency;
  lines.push(`| ${r.setting} | ${r.command} | ${r.sweep.map((p) => `${p.j}:${p.s.toFixed(2)}`).join(' ')} | -j ${r.best.j} ${r.best.s.toFixed(3)} s | ${r.default.s.toFixed(3)} s | ${c ? `${c.start}→${c.final} (${c.lowest}..${c.highest})` : '?'} | ${r.check.value.toFixed(2)}× | ${r.check.bar}: ${verdict(r.check.met)} | ${r.floor ? `${r.floor.s.toFixed(3)} s (${r.floor.ratio.toFixed(2)}×)` : 'n/a'} |`);
}
for (const r of results.local) {
  const c = r.default.concurrency;
  lines.push(`| ${r.setting} | ${r.command} | -j 8: ${r.fixed8.s.toFixed(3)} s | (today's default) | ${r.default.s.toFixed(3)} s | ${c ? `${c.start}→${c.final} (${c.lowest}..${c.highest})` : '?'} | ${r.check.value.toFixed(2)}× | ${r.check.bar}: ${verdict(r.check.met)} | |`);
}
console.log(lines.join('\n'));
if (opt.json) console.log(JSON.stringify(results, null, 2));
rmSync(join(base, 'local.list'), { force: true });
