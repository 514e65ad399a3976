// A cached tree of small files for stat benchmarks: dNNN/fNNNNN, PER_DIR files
// a directory. A marker file records the file count so the tree is reused.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '.ioaio-bench-tree.json';
const PER_DIR = 1000;

/** File i holds i % 13 bytes, so sizes vary and can be checked. */
export const sizeOf = (i) => i % 13;

/** Makes (or reuses) a tree of `files` files under dir; returns whether it was reused. */
export function ensureTree(dir, files, log = (s) => process.stderr.write(s)) {
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    if (m.files === files && m.perDir === PER_DIR) return true;
    log(`tree at ${dir} has ${m.files} files, want ${files}: rebuilding\n`);
    rmSync(dir, { recursive: true, force: true });
  } else if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} exists, is not empty and has no ${MARKER}; refusing to write into it`);
  }
  const t0 = performance.now();
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `d${String(Math.floor(i / PER_DIR)).padStart(4, '0')}`);
    if (i % PER_DIR === 0) mkdirSync(sub, { recursive: true });
    if (i % 10000 === 0) log(`creating ${dir}: ${i}/${files}\n`);
    writeFileSync(join(sub, `f${String(i).padStart(7, '0')}`), 'x'.repeat(sizeOf(i)));
  }
  writeFileSync(marker, JSON.stringify({ files, perDir: PER_DIR }) + '\n');
  log(`created ${files} files in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return false;
}

/** Every regular file under dir (a readdir walk, sorted, marker excluded). */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name !== MARKER) out.push(p);
    }
  };
  walk(dir);
  return out;
}
