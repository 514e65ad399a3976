// The JSON shape of an entry, shared by treescan --json and pstat --json:
// a path that is not valid UTF-8 comes as "path_b64" (its bytes in base64).
import { isUtf8 } from 'node:buffer';
import type { Stats } from '../aio/index.js';

export const TYPE_NAMES: Record<number, string> = { 1: 'fifo', 2: 'char', 4: 'dir', 6: 'block', 8: 'file', 10: 'symlink', 12: 'socket' };

export function pathJson(bytes: Buffer): Record<string, unknown> {
  return isUtf8(bytes) ? { path: bytes.toString() } : { path_b64: bytes.toString('base64') };
}

/** Every stat field, times as whole seconds and nanoseconds (exact); an
 *  ino or size beyond 2^53 as a bigint, which jsonLine writes exactly. */
export function statJson(st: Stats): Record<string, unknown> {
  const big = st.needsBigint;
  const o: Record<string, unknown> = {
    dev: st.dev, ino: big ? st.inoExact : st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: st.rdev,
    size: big ? st.sizeExact : st.size, blocks: st.blocks, blksize: st.blksize,
    atime_sec: st.atimeSec, atime_nsec: st.atimeNsec, mtime_sec: st.mtimeSec, mtime_nsec: st.mtimeNsec,
    ctime_sec: st.ctimeSec, ctime_nsec: st.ctimeNsec,
  };
  if (st.hasBirthtime) Object.assign(o, { birthtime_sec: st.birthtimeSec, birthtime_nsec: st.birthtimeNsec });
  return o;
}

/**
 * One NDJSON line, with bigints written as plain JSON numbers, digit for
 * digit. Why: a 64-bit inode number (NFS, btrfs, overlayfs) or a sparse
 * file's size above 2^53 would come out rounded from a double, and two
 * files would seem to share an inode. JSON numbers have no size limit: jq
 * 1.7+ and Python's json read them exactly (JSON.parse rounds them, as any
 * double would). How: only for a line that holds one, bigints become a
 * marker string no path can contain (it starts with a NUL), replaced after
 * JSON.stringify. Perf: other lines are stringified without a replacer.
 */
export function jsonLine(o: Record<string, unknown>): string {
  if (typeof o.ino !== 'bigint' && typeof o.size !== 'bigint') return JSON.stringify(o) + '\n';
  const s = JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000${v}` : v));
  return s.replace(/"\\u0000(\d+)"/g, '$1') + '\n';
}
