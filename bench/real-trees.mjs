// treescan on real trees and on trees shaped like them (issue 17): the
// listing printed to a pipe (into `wc -l`, or with --reader node into this
// process, which costs more CPU than the fastest listers), against
// `fdfind -uu`, in the same run, rotating who goes first; wall-time and
// peak-RSS medians, and beside them the floors of this machine: `node -e 0`
// (what any Node program pays), ours on an empty directory (what ours pays
// before the first entry) and bench/floor/walk-floor (the kernel's share of
// the listing: C, one thread a core, the same lines to the same pipe).
//
//   node bench/real-trees.mjs [--runs 5] [--entries 150000] [--shape usr]
//       [--real /usr,/usr/share] [--no-shaped] [--reader wc|node] [--json]
//
// Trees: one made by lib/shaped-tree.mjs from bench/shapes/<shape>.json
// (--entries entries, empty files, on $TMPDIR's disk, warm), and each
// --real directory as it is on this machine (warmed by one untimed run of
// each tool). Bars: ours/fd <= 0.8 and ours' peak RSS <= 40 MB on trees of
// >= 100k entries.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.mjs';
import { run } from './lib/run.mjs';
import { benchBase } from './lib/scan-tree.mjs';
import { ensureShapedTree } from './lib/shaped-tree.mjs';
import { bar, log, verdict } from './lib/report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TREESCAN = join(ROOT, 'bin', 'treescan');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    entries: { type: 'string', default: '150000' },
    shape: { type: 'string', default: 'usr' },
    real: { type: 'string', default: '/usr' },
    'no-shaped': { type: 'boolean', default: false },
    reader: { type: 'string', default: 'wc' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(opt.runs);
if (opt.reader !== 'wc' && opt.reader !== 'node') throw new Error(`--reader: ${opt.reader}: wc or node`);
const MB = 1e6 / 1024; // GNU time's KiB in MB (the bar says MB)

const trees = [];
if (!opt['no-shaped']) {
  const t = ensureShapedTree({ shape: opt.shape, entries: Number(opt.entries) });
  trees.push({ label: `shaped like ${opt.shape}, ${t.entries} entries`, dir: t.dir });
}
for (const d of opt.real.split(',').filter(Boolean)) {
  if (!existsSync(d)) throw new Error(`--real: ${d}: no such directory`);
  trees.push({ label: `real: ${d}`, dir: d });
}

const KOFFI = createRequire(import.meta.url).resolve('koffi');
const WALK_FLOOR = join(ROOT, 'build', 'bench', 'walk-floor');
if (!existsSync(WALK_FLOOR)) throw new Error(`${WALK_FLOOR} is missing: run bench/setup.sh (or sh bench/floor/build.sh)`);
const cores = availableParallelism();
const tools = (dir) => [
  { key: 'ours', label: 'treescan (ours)', argv: [TREESCAN, dir] },
  { key: 'fd', label: 'fdfind -uu', argv: ['fdfind', '-uu', '.', dir] },
  // the kernel's share: bench/floor/walk-floor.c, one thread a core, no start-up
  { key: 'floor', label: `walk-floor (C, ${cores} threads)`, argv: [WALK_FLOOR, dir, String(cores)] },
];

/** Median wall and peak RSS of argv over `runs` runs, stdout read by us (a pipe). */
async function floorOf(argv, root) {
  const w = [], m = [];
  for (let r = 0; r < runs; r++) {
    const x = await run(argv, { root });
    if (x.status !== 0) throw new Error(`${argv.join(' ')}: ${x.stderr}`);
    w.push(x.wallS);
    m.push(x.rssKB);
  }
  return { wallS: median(w), rssMB: median(m) / MB };
}

log(`real-trees: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${runs} runs\n`);
const empty = mkdtempSync(join(benchBase(), 'empty-'));
const floors = {
  // unset as our bins unset it (bin/start.cjs): Node reads the file at start
  node: await floorOf(['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0'], null),
  // what the brief's architecture pays before any work: Node and koffi loaded
  koffi: await floorOf(['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', `require(${JSON.stringify(KOFFI)})`], null),
  empty: await floorOf([TREESCAN, empty], empty),
};
rmSync(empty, { recursive: true, force: true });
console.log(`floor: node -e 0 (NODE_EXTRA_CA_CERTS unset, as in our bins) ${floors.node.wallS.toFixed(3)} s, ${floors.node.rssMB.toFixed(1)} MB; node with koffi loaded ${floors.koffi.wallS.toFixed(3)} s, ${floors.koffi.rssMB.toFixed(1)} MB; treescan EMPTY_DIR ${floors.empty.wallS.toFixed(3)} s, ${floors.empty.rssMB.toFixed(1)} MB`);
console.log(`timed runs list into ${opt.reader === 'wc' ? '`wc -l`' : 'this bench (a Node reader)'}`);

const results = { floors, trees: [] };
for (const tree of trees) {
  const list = tools(tree.dir);
  const counts = {}, lines = {};
  for (const t of list) {
    // untimed: warms the tree and checks that both print the same entries
    const x = await run(t.argv, { root: tree.dir, timeoutS: 600 });
    if (x.status !== 0) throw new Error(`${t.label} on ${tree.dir}: ${x.stderr}`);
    counts[t.key] = x.lines - x.rootLines;
    lines[t.key] = x.lines;
  }
  if (counts.ours !== counts.fd || counts.floor !== counts.fd) throw new Error(`${tree.dir}: ours lists ${counts.ours} entries below the root, fd ${counts.fd}, walk-floor ${counts.floor}`);
  const wall = Object.fromEntries(list.map((t) => [t.key, []]));
  const rss = Object.fromEntries(list.map((t) => [t.key, []]));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < list.length; i++) {
      const t = list[(i + r) % list.length];
      const x = await run(t.argv, opt.reader === 'wc' ? { wc: true, timeoutS: 600 } : { root: tree.dir, timeoutS: 600 });
      if (x.status !== 0 || x.lines !== lines[t.key]) throw new Error(`${t.label} on ${tree.dir}: status ${x.status}, ${x.lines} lines: ${x.stderr}`);
      wall[t.key].push(x.wallS);
      rss[t.key].push(x.rssKB / MB);
      log(`${tree.label} run ${r + 1}/${runs}: ${t.label} ${x.wallS.toFixed(3)} s ${(x.rssKB / MB).toFixed(1)} MB\n`);
    }
  }
  const m = (k) => ({ wallS: median(wall[k]), rssMB: median(rss[k]), runs: wall[k] });
  const row = { tree: tree.label, dir: tree.dir, entries: counts.ours + 1, ours: m('ours'), fd: m('fd') };
  row.floor = m('floor');
  row.reader = opt.reader;
  row.bars = [bar('ours/fd -uu (listing to a pipe)', row.ours.wallS / row.fd.wallS, '<=', 0.8), bar('ours peak RSS, MB', row.ours.rssMB, '<=', 40)];
  results.trees.push(row);
  console.log(`\n== ${tree.label} (${row.entries} entries, listing to a pipe)`);
  console.log(`ours ${row.ours.wallS.toFixed(3)} s, ${row.ours.rssMB.toFixed(1)} MB   fdfind -uu ${row.fd.wallS.toFixed(3)} s, ${row.fd.rssMB.toFixed(1)} MB   walk-floor ${row.floor.wallS.toFixed(3)} s`);
  for (const b of row.bars) console.log(`${b.name}: ${b.value} (bar ${b.bar}): ${verdict(b.met)}`);
  const floorSum = row.floor.wallS + floors.empty.wallS;
  row.floorPlusStart = { wallS: floorSum, ratio: floorSum / row.fd.wallS };
  console.log(`  floor: walk-floor + ours on an empty directory = ${floorSum.toFixed(3)} s (${(floorSum / row.fd.wallS).toFixed(3)}× fd), against the bar's ${(0.8 * row.fd.wallS).toFixed(3)} s; ours' walk after its start ${(row.ours.wallS - floors.empty.wallS).toFixed(3)} s against walk-floor's ${row.floor.wallS.toFixed(3)} s`);
  console.log(`  RSS: ours ${(row.ours.rssMB - floors.node.rssMB).toFixed(1)} MB above node -e 0 (${floors.node.rssMB.toFixed(1)} MB), ${(row.ours.rssMB - floors.koffi.rssMB).toFixed(1)} MB above node with koffi (${floors.koffi.rssMB.toFixed(1)} MB: the bar's ${floors.koffi.rssMB <= 40 ? 'room' : 'floor, over it'}) and ${(row.ours.rssMB - floors.empty.rssMB).toFixed(1)} MB above ours on an empty directory (${floors.empty.rssMB.toFixed(1)} MB)`);
}
if (opt.json) console.log(JSON.stringify(results, null, 1));
