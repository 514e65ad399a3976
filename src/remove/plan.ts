// PATH... -> what is removed, with rm's refusals (checked for every PATH
// before anything is removed): '/' (as --preserve-root), '.' and '..'.
import { lstatSync, statSync } from 'node:fs';

/** Refused before anything is removed: the command's usage error (exit 2). */
export class RefusalError extends Error {}

export interface RemovalRoot {
  /** the PATH as given, trailing slashes dropped: what is removed, and how paths are shown */
  path: Buffer;
}

const SLASH = 0x2f;
const DOT = 0x2e;

function lastComponent(p: Buffer): Buffer {
  const i = p.lastIndexOf(SLASH);
  return i < 0 ? p : p.subarray(i + 1);
}

function isDotOrDotDot(name: Buffer): boolean {
  return (name.length === 1 && name[0] === DOT) || (name.length === 2 && name[0] === DOT && name[1] === DOT);
}

/** PATH without its trailing slashes ('/' stays '/'). A symlink given with
 *  a slash is then removed as the link: the tree is never entered through one. */
export function stripSlashes(p: Buffer): Buffer {
  let end = p.length;
  while (end > 1 && p[end - 1] === SLASH) end--;
  return p.subarray(0, end);
}

export function planRemoval(paths: readonly Buffer[]): RemovalRoot[] {
  let root: { dev: number; ino: number } | undefined;
  return paths.map((given) => {
    const path = stripSlashes(given);
    if (isDotOrDotDot(lastComponent(path))) throw new RefusalError(`${given}: refusing to remove '.' or '..'`);
    // As rm's --preserve-root: the directory itself, by device and inode
    // ('//', '/./', a bind of '/' …); a symlink to '/' is only a link.
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return { path }; // missing or unreachable: the removal reports it
    }
    root ??= statSync('/');
    if (st.isDirectory() && st.dev === root.dev && st.ino === root.ino) throw new RefusalError(`${given}: refusing to remove '/'`);
    return { path };
  });
}
