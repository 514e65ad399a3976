// A directory waiting to be (or being) read.
export interface DirNode {
  /** its path, as given under the root (no trailing slash unless the root is "/") */
  path: Buffer;
  /** path + '/', prepended to each entry's name */
  prefix: Buffer;
  /** the path below the root + '/', for exclude patterns with a '/' */
  rel: Buffer;
  depth: number;
  /** st_dev of the root it belongs to (with oneFileSystem) */
  rootDev: number;
  /** "dev:ino" of this directory and the parent chain (with follow, for loops) */
  id?: string;
  parent?: DirNode;
  /** lines mode: the parent's kept directory, to open `name` relative to */
  holder?: WdHolder;
  /** lines mode: the name (with a slash) to open relative to holder.wd */
  name?: Buffer;
}

/** A directory listdir kept open for its subdirectories; closed when the
 *  last of them has been read. */
export interface WdHolder {
  wd: number;
  pending: number;
}

const SLASH = Buffer.from('/');

export function childNode(parent: DirNode, src: Buffer, start: number, end: number, id?: string): DirNode {
  const path = Buffer.allocUnsafe(parent.prefix.length + end - start);
  parent.prefix.copy(path, 0);
  src.copy(path, parent.prefix.length, start, end);
  return {
    path,
    prefix: Buffer.concat([path, SLASH]),
    rel: parent.depth === 0 && parent.rel.length === 0 ? Buffer.concat([src.subarray(start, end), SLASH]) : Buffer.concat([parent.rel, src.subarray(start, end), SLASH]),
    depth: parent.depth + 1,
    rootDev: parent.rootDev,
    id,
    parent,
  };
}

const NONE = Buffer.alloc(0);

/** Perf: lines mode needs only the path with its slash, in one allocation
 *  that also holds the NUL the C side reads to (path and name are views of
 *  it: "a/b/c/" and "c/"; openat takes the trailing slash). No parent link. */
export function lightChild(parent: DirNode, src: Buffer, start: number, end: number, holder: WdHolder | undefined): DirNode {
  const plen = parent.prefix.length;
  const n = end - start;
  const raw = Buffer.allocUnsafe(plen + n + 2);
  parent.prefix.copy(raw, 0);
  src.copy(raw, plen, start, end);
  raw[plen + n] = 0x2f;
  raw[plen + n + 1] = 0;
  const prefix = raw.subarray(0, plen + n + 1);
  return { path: prefix, prefix, rel: NONE, depth: parent.depth + 1, rootDev: parent.rootDev, holder, name: holder ? raw.subarray(plen, plen + n + 1) : undefined };
}

export function rootNode(path: Buffer, rootDev: number, id?: string): DirNode {
  const endsInSlash = path.length > 0 && path[path.length - 1] === 0x2f;
  return { path, prefix: endsInSlash ? path : Buffer.concat([path, SLASH]), rel: Buffer.alloc(0), depth: 0, rootDev, id };
}

/** Is a directory with this id already on the way down to node? */
export function isAncestor(node: DirNode | undefined, id: string): boolean {
  for (let n = node; n; n = n.parent) if (n.id === id) return true;
  return false;
}
