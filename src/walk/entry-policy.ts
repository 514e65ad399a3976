// What both tree walkers (walker.ts and its native-line sibling, and
// sorted-walker.ts) decide the same way for every entry: whether readdir's
// answer is enough or a stat is needed, what a stat's outcome means under
// --follow (a dangling link is listed, a loop is reported), and whether a
// listed directory is descended into.
import { aio, type IoaioError, type Stats } from '../aio/index.js';
import { isAncestor, type DirNode } from './node.js';
import type { WalkOptions } from './types.js';

const { DT_DIR, DT_LNK, DT_UNKNOWN } = aio;
const S_IFMT = 0o170000;

/** d_type from a stat mode. */
export function modeToType(mode: number): number {
  return (mode & S_IFMT) >> 12;
}

/** Does an entry of readdir's type need a stat before it is listed? Under
 *  --follow every directory needs its dev+inode, for loop detection; with
 *  -x, its dev. */
export function needsStat(o: WalkOptions, type: number, descend: boolean): boolean {
  return o.statAll || type === DT_UNKNOWN || (o.follow && type === DT_LNK) || ((o.oneFileSystem || o.follow) && type === DT_DIR && descend);
}

/** A stat's outcome for the entry child (of readdir type dtype): listed
 *  with its type and stat, or a failure to report. */
export type StatVerdict = { listed: true; type: number; st: Stats | undefined } | { listed: false; err: Error };

export function judgeStat(o: WalkOptions, child: DirNode, dtype: number, err: IoaioError | null | undefined, st: Stats | undefined): StatVerdict {
  if (err) {
    // A dangling symlink under --follow is listed as a symlink, as find -L does.
    if (o.follow && dtype === DT_LNK && err.code === 'ENOENT') return { listed: true, type: DT_LNK, st: undefined };
    return { listed: false, err };
  }
  const type = modeToType(st!.mode);
  if (type === DT_DIR && o.follow) {
    // A directory that is its own ancestor: reported, not listed (as find -L).
    const id = `${st!.dev}:${st!.ino}`;
    if (isAncestor(child.parent, id)) return { listed: false, err: new Error('filesystem loop detected') };
    child.id = id;
  }
  return { listed: true, type, st };
}

/** Is a listed entry a directory to walk into: not too deep, and with -x
 *  on its root's filesystem (st known whenever -x is on: needsStat). */
export function descends(o: WalkOptions, child: DirNode, type: number, st: Stats | undefined): boolean {
  return type === DT_DIR && child.depth < o.maxDepth && !(st && o.oneFileSystem && st.dev !== child.rootDev);
}
