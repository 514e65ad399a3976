// Trees shaped like a real one (a shape from lib/shape.mjs, e.g.
// bench/shapes/usr.json), for benches whose generated uniform trees (10
// subdirectories and 4-9 files everywhere) flatter a tool: real trees have
// many tiny directories, a few huge ones, long names and symlinks.
//
// How: a directory at depth d takes the (files, subdirectories, symlinks)
// of a directory drawn at random from the source's directories at depth d,
// weighted by how many had it; deeper than the source went, it is a leaf
// drawn from the deepest level. So entries per directory, fan-out and depth
// follow the source's, level by level. Name lengths are drawn from the
// source's; file sizes (with `maxSize` > 0) from its size quantiles, capped
// at maxSize (0: empty files). Symlinks point at a sibling. When one such
// tree ends below `entries`, another is made beside it (t0, t1, …); the last
// stops at `entries`. Seeded: the same arguments make the same tree.
//
// Cached as $TMPDIR/ioaio-bench/shaped-<shape>-<entries>-<maxSize>-<seed>
// (or under `base`), reused while its marker (…json beside it) matches.
//
// CLI: node bench/lib/shaped-tree.mjs [--shape usr] [--entries 150000] [--max-size 0] [--seed 1] [--base DIR]
//      prints the tree's path on stdout.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchBase } from './scan-tree.mjs';

const SHAPES = join(dirname(fileURLToPath(import.meta.url)), '..', 'shapes');

export function loadShape(name) {
  return JSON.parse(readFileSync(join(SHAPES, `${name}.json`), 'utf8'));
}

/** mulberry32: small, fast, and the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sampler over [value, weight] pairs. */
function weighted(pairs, rand) {
  const cum = [];
  let total = 0;
  for (const [, w] of pairs) cum.push((total += w));
  return () => {
    const x = rand() * total;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return pairs[lo][0];
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789._-';

/** Makes the tree at dir (which must not exist); returns its entry count, dir included. */
export function makeShapedTree(dir, shape, { entries, maxSize = 0, seed = 1 }) {
  const rand = rng(seed);
  const depths = Object.keys(shape.byDepth).map(Number).sort((a, b) => a - b);
  const deepest = depths[depths.length - 1];
  const draw = {};
  for (const d of depths) draw[d] = weighted(shape.byDepth[d].map(([f, s, l, n]) => [[f, s, l], n]), rand);
  const leaves = weighted(shape.byDepth[deepest].map(([f, , l, n]) => [[f, 0, l], n]), rand);
  const nameLen = weighted(shape.nameLength.map(([len, n]) => [len, n]), rand);
  const q = shape.sizeQuantiles;
  const size = () => {
    const x = rand() * (q.length - 1);
    const i = Math.floor(x);
    const s = Math.round(q[i] + (q[Math.min(i + 1, q.length - 1)] - q[i]) * (x - i));
    return Math.min(s, maxSize);
  };
  const noise = Buffer.alloc(1 << 20);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;

  let made = 0;
  const names = (n) => {
    const seen = new Set();
    const out = [];
    while (out.length < n) {
      const len = Math.max(1, nameLen());
      let s = '';
      for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * (i === 0 ? 36 : ALPHABET.length))];
      if (seen.has(s)) s = `${s}${out.length}`;
      if (seen.has(s) || s === '.' || s === '..') continue;
      seen.add(s);
      out.push(s);
    }
    return out;
  };
  const file = (path) => {
    const fd = openSync(path, 'wx', 0o644);
    const n = maxSize > 0 ? size() : 0;
    for (let off = 0; off < n; ) off += writeSync(fd, noise, (off * 7) % 4096, Math.min(n - off, noise.length - 4096));
    closeSync(fd);
  };

  mkdirSync(dir);
  made++;
  for (let t = 0; made < entries; t++) {
    const stack = [[join(dir, `t${t}`), 0]];
    mkdirSync(stack[0][0]);
    made++;
    while (stack.length && made < entries) {
      const [path, depth] = stack.pop();
      const [nf, nd, nl] = depth > deepest ? leaves() : draw[depth]();
      const nm = names(nf + nd + nl);
      let i = 0;
      for (let k = 0; k < nf && made < entries; k++, made++) file(join(path, nm[i++]));
      for (let k = 0; k < nl && made < entries; k++, made++) {
        symlinkSync(nf > 0 ? nm[k % nf] : '../missing', join(path, nm[i++]));
      }
      for (let k = 0; k < nd && made < entries; k++, made++) {
        const sub = join(path, nm[i++]);
        mkdirSync(sub);
        stack.push([sub, depth + 1]);
      }
    }
  }
  return made;
}

/** Makes (or reuses) the tree; returns { dir, entries, reused }. */
export function ensureShapedTree({ shape = 'usr', entries = 150_000, maxSize = 0, seed = 1, base = benchBase() }, log = (s) => process.stderr.write(s)) {
  const name = `shaped-${shape}-${entries}-${maxSize}-${seed}`;
  const dir = join(base, name);
  const marker = join(base, `${name}.json`);
  if (existsSync(marker) && existsSync(dir)) return { dir, entries: JSON.parse(readFileSync(marker, 'utf8')).entries, reused: true };
  rmSync(marker, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`creating ${dir}: ${entries} entries shaped like ${shape}\n`);
  const t0 = performance.now();
  const made = makeShapedTree(tmp, loadShape(shape), { entries, maxSize, seed });
  renameSync(tmp, dir);
  writeFileSync(marker, JSON.stringify({ entries: made, shape, maxSize, seed }));
  log(`created in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return { dir, entries: made, reused: false };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: o } = parseArgs({ options: { shape: { type: 'string', default: 'usr' }, entries: { type: 'string', default: '150000' }, 'max-size': { type: 'string', default: '0' }, seed: { type: 'string', default: '1' }, base: { type: 'string' } } });
  const t = ensureShapedTree({ shape: o.shape, entries: Number(o.entries), maxSize: Number(o['max-size']), seed: Number(o.seed), ...(o.base ? { base: o.base } : {}) });
  process.stdout.write(`${t.dir}\n`);
}
