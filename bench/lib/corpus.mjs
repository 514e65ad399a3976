// The copy corpus of cptree's and mvtree's benchmarks: `files` files, 100 a
// directory, sizes mostly small (~3.5 kB on average, a tenth up to 32 kB),
// optionally a 64 MiB sparse file; made once and reused while its marker
// (DIR.json) matches.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { log } from './report.mjs';

/** A tree of `files` files, 100 a directory, sizes mostly small; reused when its marker matches. */
export function ensureCorpus(dir, files, sparse) {
  const marker = `${dir}.json`;
  const want = JSON.stringify({ files, sparse, v: 1 });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(dir)) return;
  rmSync(dir, { recursive: true, force: true });
  log(`making ${dir} (${files} files)…\n`);
  const noise = Buffer.alloc(1 << 16);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `d${String(Math.floor(i / 100)).padStart(4, '0')}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    const size = i % 10 === 0 ? (i * 131) % 32768 : (i * 7919) % 4096;
    const off = (i * 97) % (noise.length - size);
    writeFileSync(join(sub, `f${i}`), noise.subarray(off, off + size));
  }
  if (sparse) execFileSync('sh', ['-c', `truncate -s 64M sparse && printf data | dd of=sparse bs=1 seek=33554432 conv=notrunc 2>/dev/null`], { cwd: dir });
  writeFileSync(marker, want);
}

