// Path arithmetic on raw bytes (SRC and DEST may not be UTF-8), and the
// one lookup that resolves them.
import { realpathSync } from 'node:fs';

const SLASH = 0x2f;

export function stripSlashes(p: Buffer): Buffer {
  let end = p.length;
  while (end > 1 && p[end - 1] === SLASH) end--;
  return p.subarray(0, end);
}

export function baseName(p: Buffer): Buffer {
  const s = stripSlashes(p);
  const i = s.lastIndexOf(SLASH);
  return i < 0 ? s : s.subarray(i + 1);
}

export function dirName(p: Buffer): Buffer {
  const s = stripSlashes(p);
  const i = s.lastIndexOf(SLASH);
  return i < 0 ? Buffer.from('.') : i === 0 ? Buffer.from('/') : s.subarray(0, i);
}

/** name in the directory rel (both below one root; rel '' is the root itself). */
export function childRel(rel: Buffer, name: Buffer): Buffer {
  return rel.length === 0 ? Buffer.from(name) : Buffer.concat([rel, Buffer.from('/'), name]);
}

/** How many names a relative path has ('' has none). */
export function relDepth(rel: Buffer): number {
  let d = rel.length ? 1 : 0;
  for (const b of rel) if (b === 0x2f) d++;
  return d;
}

export function joinPath(dir: Buffer, name: Buffer): Buffer {
  const d = stripSlashes(dir);
  return d.length === 1 && d[0] === SLASH ? Buffer.concat([d, name]) : Buffer.concat([d, Buffer.from('/'), name]);
}

/** Is p at or below dir (both absolute and resolved)? */
export function isWithin(p: Buffer, dir: Buffer): boolean {
  if (dir.length === 1 && dir[0] === SLASH) return true;
  return p.equals(dir) || (p.length > dir.length && p[dir.length] === SLASH && p.subarray(0, dir.length).equals(dir));
}

/** p made absolute against the working directory, '.' and '..' folded by
 *  name (as path.resolve, on bytes: no symlink is looked at). */
export function resolvePath(p: Buffer): Buffer {
  const abs = p[0] === SLASH ? p : Buffer.concat([Buffer.from(process.cwd()), Buffer.from('/'), p]);
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= abs.length; i++) {
    if (i < abs.length && abs[i] !== SLASH) continue;
    const part = abs.subarray(start, i);
    start = i + 1;
    if (part.length === 0 || (part.length === 1 && part[0] === 0x2e)) continue;
    if (part.length === 2 && part[0] === 0x2e && part[1] === 0x2e) parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? Buffer.from('/') : Buffer.concat(parts.flatMap((x) => [Buffer.from('/'), x]));
}

/** The resolved path, by realpath(3). Perf and bytes: fs.realpathSync's own
 *  walk turns a Buffer into a string, and a name that is not UTF-8 with it. */
export function realPath(p: Buffer): Buffer {
  return realpathSync.native(p, { encoding: 'buffer' });
}

/** The reason alone of a Node fs error, for `PATH: reason` lines:
 *  "ENOENT: no such file or directory, lstat 'x'" -> "no such file or directory". */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*$/s, '') : String(e);
}
