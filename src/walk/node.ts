// A directory waiting to be (or being) read.
import type { RootInfo } from './types.js';

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

export function rootNode(path: Buffer, rootDev: number, id?: string, info?: RootInfo): DirNode {
  const endsInSlash = path.length > 0 && path[path.length - 1] === 0x2f;
  const prefix = endsInSlash ? path : Buffer.concat([path, SLASH]);
  if (info) return { path, prefix, rel: info.rel.length ? Buffer.concat([info.rel, SLASH]) : Buffer.alloc(0), depth: info.depth, rootDev: info.dev, id };
  return { path, prefix, rel: Buffer.alloc(0), depth: 0, rootDev, id };
}

/** Is a directory with this id already on the way down to node? */
export function isAncestor(node: DirNode | undefined, id: string): boolean {
  for (let n = node; n; n = n.parent) if (n.id === id) return true;
  return false;
}
