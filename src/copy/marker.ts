// The resume marker: a small file a tree copy leaves in the root it is
// creating while that copy is unfinished. It names the source by device and
// inode (and path), so the same command line run again knows the half-made
// root for its own and continues into it, instead of nesting a second copy
// inside it as cp's and mv's rule for an existing directory would. mvtree
// writes it; cptree's resume (issue 15) is to share it.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Its name in the root; a copy never lists or copies it. */
export const MARKER_NAME = '.ioaio-resume';

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
}

function path(root: Buffer): Buffer {
  return Buffer.concat([root, Buffer.from(`/${MARKER_NAME}`)]);
}

/** Writes it whole (a temporary renamed onto it); with sync, durably, so
 *  that a power cut never leaves a copy that does not know itself. */
export function writeMarker(root: Buffer, m: Marker, sync: boolean): void {
  const body = JSON.stringify({ tool: m.tool, src: m.src.toString('hex'), dev: m.dev, ino: m.ino, merge: m.merge }) + '\n';
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
    const dfd = openSync(root, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

/** The marker in root, or undefined (none, or not one of ours). */
export function readMarker(root: Buffer): Marker | undefined {
  try {
    const o = JSON.parse(readFileSync(path(root), 'utf8')) as Record<string, unknown>;
    if (typeof o.tool !== 'string' || typeof o.src !== 'string' || typeof o.dev !== 'number' || typeof o.ino !== 'number') return undefined;
    return { tool: o.tool, src: Buffer.from(o.src, 'hex'), dev: o.dev, ino: o.ino, merge: o.merge !== false };
  } catch {
    return undefined;
  }
}

export function removeMarker(root: Buffer): void {
  rmSync(path(root), { force: true });
  rmSync(Buffer.concat([path(root), Buffer.from('.tmp')]), { force: true });
}

/** The marker's own names, which a copy leaves out of its listings. */
export function isMarkerName(name: Buffer): boolean {
  return name.equals(NAME) || name.equals(TMP_NAME);
}

const NAME = Buffer.from(MARKER_NAME);
const TMP_NAME = Buffer.from(`${MARKER_NAME}.tmp`);
