// The JSON shape of an entry, shared by treescan --json and pstat --json:
// a path that is not valid UTF-8 comes as "path_b64" (its bytes in base64).
import { isUtf8 } from 'node:buffer';
import type { Stats } from '../aio/index.js';

export const TYPE_NAMES: Record<number, string> = { 1: 'fifo', 2: 'char', 4: 'dir', 6: 'block', 8: 'file', 10: 'symlink', 12: 'socket' };

export function pathJson(bytes: Buffer): Record<string, unknown> {
  return isUtf8(bytes) ? { path: bytes.toString() } : { path_b64: bytes.toString('base64') };
}

/** Every stat field, times as whole seconds and nanoseconds (exact). */
export function statJson(st: Stats): Record<string, unknown> {
  const o: Record<string, unknown> = {
    dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: st.rdev,
    size: st.size, blocks: st.blocks, blksize: st.blksize,
    atime_sec: st.atimeSec, atime_nsec: st.atimeNsec, mtime_sec: st.mtimeSec, mtime_nsec: st.mtimeNsec,
    ctime_sec: st.ctimeSec, ctime_nsec: st.ctimeNsec,
  };
  if (st.hasBirthtime) Object.assign(o, { birthtime_sec: st.birthtimeSec, birthtime_nsec: st.birthtimeNsec });
  return o;
}
