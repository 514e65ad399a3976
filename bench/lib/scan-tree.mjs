// Trees for the directory-scan benchmarks: every directory down to `depth`
// holds `fanout` subdirectories d0..d<fanout-1> (none at the last level) and
// `files` empty files f0..f<files-1>. --fanout 10 --depth 5 --files 4 gives
// 111,111 directories (root included) + 444,444 files = 555,555 entries.
//
// Trees are cached as $TMPDIR/ioaio-bench/scan-<fanout>-<depth>-<files> and
// reused while the marker beside it (…/scan-F-D-N.json, outside the tree so
// no scanner counts it) says the tree was finished. A tree is built under a
// temporary name and renamed into place, so an interrupted build is never
// mistaken for a finished one.
//
// CLI: node bench/lib/scan-tree.mjs [--fanout 10] [--depth 5] [--files 4] [--base DIR]
//      prints the tree's path on stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const MAKE_TREE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'bench', 'make-tree');

/** The benchmarks' scratch folder (made on first use: a fresh machine has none). */
export const benchBase = () => {
  const base = join(tmpdir(), 'ioaio-bench');
  mkdirSync(base, { recursive: true });
  return base;
};

/** Directory and file counts of a tree, the root directory included in dirs. */
export function treeCounts({ fanout, depth, files }) {
  let dirs = 0;
  for (let k = 0, level = 1; k <= depth; k++, level *= fanout) dirs += level;
  return { dirs, files: dirs * files, entries: dirs * (files + 1) };
}

/** Makes the tree at dir (which must not exist) with bench/floor/make-tree,
 *  fast enough to make anew before every timed removal; returns its entries. */
export function makeTree(dir, { fanout, depth, files }) {
  if (!existsSync(MAKE_TREE)) throw new Error(`${MAKE_TREE} is missing: run bench/setup.sh`);
  return Number(execFileSync(MAKE_TREE, [dir, String(fanout), String(depth), String(files)], { encoding: 'utf8' }).trim());
}

/** Makes (or reuses) the tree; returns { dir, reused, ...treeCounts }. */
export function ensureScanTree({ fanout, depth, files, base = benchBase() }, log = (s) => process.stderr.write(s)) {
  const name = `scan-${fanout}-${depth}-${files}`;
  const dir = join(base, name);
  const marker = join(base, `${name}.json`);
  const counts = treeCounts({ fanout, depth, files });
  if (existsSync(marker) && existsSync(dir)) {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    if (m.entries === counts.entries) return { dir, reused: true, ...counts };
  }
  rmSync(marker, { force: true });
  rmSync(dir, { recursive: true, force: true });

  const tmp = `${dir}.tmp-${process.pid}`;
  const t0 = performance.now();
  log(`creating ${dir}: ${counts.entries} entries\n`);
  mkdirSync(base, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  makeTree(tmp, { fanout, depth, files });
  renameSync(tmp, dir);
  writeFileSync(marker, JSON.stringify({ fanout, depth, files, ...counts }) + '\n');
  log(`created ${counts.entries} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return { dir, reused: false, ...counts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: o } = parseArgs({
    options: {
      fanout: { type: 'string', default: '10' },
      depth: { type: 'string', default: '5' },
      files: { type: 'string', default: '4' },
      base: { type: 'string' },
    },
  });
  const t = ensureScanTree({ fanout: Number(o.fanout), depth: Number(o.depth), files: Number(o.files), base: o.base });
  process.stderr.write(`${t.reused ? 'reused' : 'made'}: ${t.dirs} dirs + ${t.files} files = ${t.entries} entries\n`);
  process.stdout.write(t.dir + '\n');
}
