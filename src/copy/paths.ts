// Path arithmetic on raw bytes (SRC and DEST may not be UTF-8).
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

export function joinPath(dir: Buffer, name: Buffer): Buffer {
  const d = stripSlashes(dir);
  return d.length === 1 && d[0] === SLASH ? Buffer.concat([d, name]) : Buffer.concat([d, Buffer.from('/'), name]);
}

/** Is p at or below dir (both absolute and resolved)? */
export function isWithin(p: Buffer, dir: Buffer): boolean {
  if (dir.length === 1 && dir[0] === SLASH) return true;
  return p.equals(dir) || (p.length > dir.length && p[dir.length] === SLASH && p.subarray(0, dir.length).equals(dir));
}
