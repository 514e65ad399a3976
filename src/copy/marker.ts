// The resume marker: a small file a tree copy leaves beside the root it is
// creating while that copy is unfinished (beside, not inside: a name added
// to or removed from the root would change its mtime, which the copy has
// made the source's). It names the source by device and
// inode (and path), so the same command line run again knows the half-made
// root for its own and continues into it, instead of nesting a second copy
// inside it as cp's and mv's rule for an existing directory would. cptree
// and mvtree write it, each recognising only its own.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Its name beside the root: this prefix, then 16 hex digits of a hash of
 *  the root's name (so that any name, up to 255 bytes, gets one). */
export const MARKER_PREFIX = '.ioaio-resume.';

export interface Marker {
  /** the command that wrote it */
  tool: string;
  /** the source root: absolute path (hex of its bytes), device, inode */
  src: Buffer;
  dev: number;
  ino: number;
  /** The root held entries of its own when the copy began (a merge): what
   *  is found there is not all ours, so a resume compares bytes. */
  merge: boolean;
  /** The copy was whole and durable, and the source's removal had begun:
   *  the source directories' times are no longer the ones copied. */
  removing?: boolean;
  /** the run's options that shape the copy, for whoever reads it (a
   *  resume continues whatever they were: the SRC decides) */
  opts?: string;
}

/** The marker of root: in root's parent directory. A shard's (tag
 *  '2of4') is its own, beside the others': each shard's copy is whole or
 *  not by itself, and a re-run of one finds its own. */
export function markerPath(root: Buffer, tag?: string): Buffer {
  return besideRoot(root, MARKER_PREFIX, tag);
}

/** prefix + 16 hex digits of root's name (+ '.' + tag), in root's parent. */
export function besideRoot(root: Buffer, prefix: string, tag?: string): Buffer {
  let end = root.length;
  while (end > 1 && root[end - 1] === 0x2f) end--;
  const r = root.subarray(0, end);
  const slash = r.lastIndexOf(0x2f);
  const dir = slash < 0 ? Buffer.from('.') : r.subarray(0, slash + 1);
  const name = slash < 0 ? r : r.subarray(slash + 1);
  const id = fnv1a64(name);
  return Buffer.concat([dir, slash < 0 ? Buffer.from('/') : Buffer.alloc(0), Buffer.from(prefix + id + (tag ? `.${tag}` : ''))]);
}

/** FNV-1a, 64 bits, as 16 hex digits: a name for any root name, not a
 *  secret. Perf: not node:crypto's sha256, whose module costs mvtree's
 *  start 3 ms (measured 2026-12-06) for one hash of up to 255 bytes. */
function fnv1a64(bytes: Buffer): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}


/** Writes it whole (a temporary renamed onto it); with sync, durably, so
 *  that a power cut never leaves a copy that does not know itself. */
export function writeMarker(root: Buffer, m: Marker, sync: boolean, tag?: string): void {
  const path = (r: Buffer) => markerPath(r, tag);
  const body = JSON.stringify({ tool: m.tool, src: m.src.toString('hex'), dev: m.dev, ino: m.ino, merge: m.merge, removing: !!m.removing, ...(m.opts === undefined ? {} : { opts: m.opts }) }) + '\n';
  const tmp = Buffer.concat([path(root), Buffer.from('.tmp')]);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, body);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path(root));
  if (sync) {
    const p = path(root);
    const dfd = openSync(p.subarray(0, p.lastIndexOf(0x2f) + 1), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

/** The marker in root, or undefined (none, or not one of ours). */
export function readMarker(root: Buffer, tag?: string): Marker | undefined {
  try {
    const o = JSON.parse(readFileSync(markerPath(root, tag), 'utf8')) as Record<string, unknown>;
    if (typeof o.tool !== 'string' || typeof o.src !== 'string' || typeof o.dev !== 'number' || typeof o.ino !== 'number') return undefined;
    return { tool: o.tool, src: Buffer.from(o.src, 'hex'), dev: o.dev, ino: o.ino, merge: o.merge !== false, removing: o.removing === true, ...(typeof o.opts === 'string' ? { opts: o.opts } : {}) };
  } catch {
    return undefined;
  }
}

/** root's marker when tool wrote it for this source: the same resolved
 *  path and, while the source exists (st), the same device and inode. */
export function ownMarker(root: Buffer, tool: string, absSrc: Buffer, st: { dev: number; ino: number } | undefined, tag?: string): Marker | undefined {
  const m = readMarker(root, tag);
  if (!m || m.tool !== tool || !m.src.equals(absSrc)) return undefined;
  return !st || (m.dev === st.dev && m.ino === st.ino) ? m : undefined;
}

export function removeMarker(root: Buffer, tag?: string): void {
  rmSync(markerPath(root, tag), { force: true });
  rmSync(Buffer.concat([markerPath(root, tag), Buffer.from('.tmp')]), { force: true });
}
