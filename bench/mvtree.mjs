// Tree move benchmark (issue 14): our mvtree against mv, run alternately in
// the same run, each on a tree made anew (untimed: cp -a from the corpus)
// before it; wall-time medians, ratios and the bars.
//
//   node bench/mvtree.mjs [--cross] [--same] [--runs N] [--files 100000] [--json]
//       [--base /dev/shm/ioaio-bench-mvtree]
//
// Scenarios (both unless one is named):
//   cross  the copy corpus (bench/lib/corpus.mjs: --files files and a sparse
//          file) from one tmpfs to another (two tmpfs mounts made here):
//          ours <= 0.4 x mv; ours --no-sync beside it, and the syncfs's own
//          time from ours --summary: what the default durability costs
//   same   the same tree renamed within one tmpfs: ours <= mv + 0.05 s
// Each tool's result is checked once against a reference (rsync -aHAX
// --checksum) before its times count. Needs root (mount).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onExit } from './lib/cleanup.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { median } from './lib/measure.mjs';
import { run } from './lib/run.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const MVTREE = join(HERE, '..', 'bin', 'mvtree');

const { values: opt } = parseArgs({
  options: {
    cross: { type: 'boolean', default: false },
    same: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    files: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
    base: { type: 'string', default: '/dev/shm/ioaio-bench-mvtree' },
  },
});
const picked = ['cross', 'same'].filter((s) => opt[s]);
const scenarios = picked.length ? picked : ['cross', 'same'];
const runs = Number(opt.runs);
const base = opt.base;
const log = (s) => process.stderr.write(s);
const results = {};

const TOOLS = {
  mv: (src, dst) => ['mv', src, dst],
  ours: (src, dst) => [process.execPath, MVTREE, '--summary', src, dst],
  'ours --no-sync': (src, dst) => [process.execPath, MVTREE, '--no-sync', src, dst],
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

/** Alternates the tools (rotating who goes first); each run moves a fresh copy of ref from srcDir to dst. */
async function alternate(label, ref, srcDir, dst, tools) {
  const times = Object.fromEntries(tools.map((t) => [t, []]));
  const syncs = [];
  const src = join(srcDir, 'tree');
  for (let r = 0; r < runs; r++) {
    for (const t of tools.map((_, i) => tools[(i + r) % tools.length])) {
      rmSync(dst, { recursive: true, force: true });
      rmSync(src, { recursive: true, force: true });
      execFileSync('cp', ['-a', ref, src]);
      const res = await run(TOOLS[t](src, dst), { timeoutS: 1800 });
      if (res.status !== 0 || res.timedOut) throw new Error(`${t} failed (${res.status}): ${res.stderr}`);
      if (existsSync(src)) throw new Error(`${t} left its source`);
      if (r === 0) verify(ref, dst, t);
      times[t].push(res.wallS);
      const sync = /; sync ([\d.]+) s;/.exec(res.stderr ?? '');
      if (t === 'ours' && sync) syncs.push(Number(sync[1]));
      log(`${label} run ${r + 1}/${runs}: ${t} ${res.wallS.toFixed(3)} s\n`);
    }
  }
  rmSync(dst, { recursive: true, force: true });
  const out = Object.fromEntries(tools.map((t) => [t, { median: median(times[t]), runs: times[t] }]));
  if (syncs.length) out.ours.syncS = median(syncs);
  return out;
}

function bar(name, value, op, limit) {
  const ok = op === '<=' ? value <= limit : value >= limit;
  return { name, value: +value.toFixed(3), bar: `${op} ${limit}`, met: ok };
}

mkdirSync(base, { recursive: true });
log(`mvtree benchmark: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${runs} runs\n`);
mountBoth();
const ref = join(base, `corpus-${opt.files}`);
ensureCorpus(ref, Number(opt.files), true);

if (scenarios.includes('cross')) {
  const m = await alternate('cross', ref, A, join(B, 'moved'), ['mv', 'ours', 'ours --no-sync']);
  results.cross = {
    files: Number(opt.files) + 1,
    times: m,
    syncCost: +(m.ours.median - m['ours --no-sync'].median).toFixed(3),
    syncS: m.ours.syncS,
    bars: [bar('ours/mv (tmpfs -> tmpfs)', m.ours.median / m.mv.median, '<=', 0.4)],
  };
}

if (scenarios.includes('same')) {
  const m = await alternate('same', ref, A, join(A, 'moved'), ['mv', 'ours']);
  results.same = { times: m, bars: [bar('ours - mv (s, one filesystem)', m.ours.median - m.mv.median, '<=', 0.05)] };
}

if (opt.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
else {
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n${name}:`);
    for (const [t, v] of Object.entries(r.times)) console.log(`  ${t.padEnd(16)} ${v.median.toFixed(3)} s  (runs ${v.runs.map((x) => x.toFixed(3)).join(', ')})`);
    if (r.syncCost !== undefined) console.log(`  durability: ours - ours --no-sync ${r.syncCost.toFixed(3)} s (medians; run-to-run noise included); the syncfs itself, as ours --summary measures it: ${r.syncS?.toFixed(3)} s`);
    for (const b of r.bars) console.log(`  ${b.name}: ${b.value} (bar ${b.bar}: ${b.met ? 'met' : 'NOT met'})`);
  }
}
