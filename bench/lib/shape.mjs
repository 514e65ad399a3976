// The shape of a real tree, written down so the benches can make trees like
// it (lib/shaped-tree.mjs): for every depth, how many files, subdirectories
// and symlinks its directories hold (each directory's triple, counted); how
// long names are; how big files are (quantiles). Measured once per source
// tree and kept in bench/shapes/ (a tree's content is not needed, nor kept).
//
//   node bench/lib/shape.mjs ROOT > bench/shapes/NAME.json
import { lstatSync, opendirSync } from 'node:fs';
import { join } from 'node:path';

/** Walks root (no symlinks followed, other filesystems included) and returns its shape. */
export function measureShape(root) {
  const triples = new Map(); // "depth files dirs links" -> count
  const nameLen = new Map();
  const sizes = [];
  let entries = 1;
  const stack = [[root, 0]];
  while (stack.length) {
    const [dir, depth] = stack.pop();
    let files = 0, dirs = 0, links = 0;
    let d;
    try {
      d = opendirSync(dir);
    } catch {
      continue; // unreadable: counted as an empty directory
    }
    for (let e; (e = d.readSync()); ) {
      entries++;
      nameLen.set(e.name.length, (nameLen.get(e.name.length) ?? 0) + 1);
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        dirs++;
        stack.push([p, depth + 1]);
      } else if (e.isSymbolicLink()) links++;
      else {
        files++;
        if (e.isFile()) {
          try {
            sizes.push(lstatSync(p).size);
          } catch {}
        }
      }
    }
    d.closeSync();
    const k = `${depth} ${files} ${dirs} ${links}`;
    triples.set(k, (triples.get(k) ?? 0) + 1);
  }
  sizes.sort((a, b) => a - b);
  const Q = 1000;
  const quantiles = sizes.length ? Array.from({ length: Q + 1 }, (_, i) => sizes[Math.min(sizes.length - 1, Math.round((i / Q) * (sizes.length - 1)))]) : [0];
  const byDepth = {};
  for (const [k, n] of triples) {
    const [depth, files, dirs, links] = k.split(' ').map(Number);
    (byDepth[depth] ??= []).push([files, dirs, links, n]);
  }
  for (const d of Object.values(byDepth)) d.sort((a, b) => b[3] - a[3] || a[0] - b[0] || a[1] - b[1]);
  return {
    source: root,
    entries,
    directories: [...triples.values()].reduce((a, b) => a + b, 0),
    files: sizes.length,
    byDepth,
    nameLength: [...nameLen].sort((a, b) => a[0] - b[0]),
    sizeQuantiles: quantiles,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: node bench/lib/shape.mjs ROOT > bench/shapes/NAME.json\n');
    process.exit(2);
  }
  const s = { measured: new Date().toISOString().slice(0, 10), ...measureShape(root) };
  // one directory triple per line: readable, and diffs stay small
  const json = JSON.stringify(s, (k, v) => (Array.isArray(v) && v.every((x) => typeof x === 'number') && v.length <= 4 ? JSON.stringify(v) : v), 1).replace(/"(\[[\d, ]*\])"/g, '$1');
  process.stdout.write(json + '\n');
}
