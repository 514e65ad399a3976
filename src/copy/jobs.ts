// The units of a tree copy: a directory (created, listed, then given its
// metadata once everything below it is done) and a non-directory entry.
import type { PathArg, Wd } from '../aio/index.js';

export interface DirJob {
  parent: DirJob | undefined;
  /** name under the parent (raw bytes); undefined for the root */
  name: Buffer | undefined;
  /** full paths, for messages, hard links and dry runs */
  srcPath: Buffer;
  dstPath: Buffer;
  /** the path below the copy's root + '/' ('' for the root): exclude patterns, events */
  rel: Buffer;
  /** Perf: open handles on both directories; each entry is opened relative
   *  to them (one lookup, not a walk of the whole path, which on NFS or FUSE
   *  is a round trip per component). */
  srcWd: Wd | undefined;
  dstWd: Wd | undefined;
  /** 1 for its own listing + entries not finished yet */
  pending: number;
  /** created (or there), so its metadata may be set at the end */
  ok: boolean;
  /** it was there before this run */
  existed?: boolean;
}

export interface FileTask {
  dir: DirJob;
  name: Buffer;
  /** set once this name is the one copy of a hard-linked inode */
  link?: { dev: number; ino: number };
}

/** Names of one directory copied by one copyfiles request. Perf: the names
 *  stay where readdir put them (buf[spans[2i], spans[2i+1])); a Buffer is
 *  made for one only when it is needed (an error, an event, a hard link). */
export interface BatchTask {
  dir: DirJob;
  buf: Buffer;
  spans: number[];
  /** all regular files, by readdir's d_type (copyfile's CF_REGULAR hint) */
  regular: boolean;
}

export function batchName(b: BatchTask, i: number): Buffer {
  return b.buf.subarray(b.spans[2 * i]!, b.spans[2 * i + 1]!);
}

const SLASH = Buffer.from('/');

/** The batch's names, each ended by a NUL, as copyfiles takes them. */
export function namesBlob(b: BatchTask): Buffer {
  const { buf, spans } = b;
  let len = 0;
  for (let i = 0; i < spans.length; i += 2) len += spans[i + 1]! - spans[i]! + 1;
  const out = Buffer.allocUnsafe(len);
  let o = 0;
  for (let i = 0; i < spans.length; i += 2) {
    o += buf.copy(out, o, spans[i]!, spans[i + 1]!);
    out[o++] = 0;
  }
  return out;
}

export function rootJob(src: string | Buffer, dst: string | Buffer): DirJob {
  return { parent: undefined, name: undefined, srcPath: Buffer.from(src), dstPath: Buffer.from(dst), rel: Buffer.alloc(0), srcWd: undefined, dstWd: undefined, pending: 1, ok: false };
}

export function childJob(parent: DirJob, name: Buffer): DirJob {
  const own = Buffer.from(name);
  return {
    parent,
    name: own,
    srcPath: Buffer.concat([parent.srcPath, SLASH, own]),
    dstPath: Buffer.concat([parent.dstPath, SLASH, own]),
    rel: Buffer.concat([parent.rel, own, SLASH]),
    srcWd: undefined,
    dstWd: undefined,
    pending: 1,
    ok: false,
  };
}

/** A directory itself, relative to its parent's handle when it has one. */
export function dirSrc(job: DirJob): PathArg {
  return job.parent?.srcWd ? [job.parent.srcWd, job.name!] : job.srcPath;
}

export function dirDst(job: DirJob): PathArg {
  return job.parent?.dstWd ? [job.parent.dstWd, job.name!] : job.dstPath;
}

export function fileSrc(t: FileTask): PathArg {
  return t.dir.srcWd ? [t.dir.srcWd, t.name] : Buffer.concat([t.dir.srcPath, SLASH, t.name]);
}

/** Without a handle (a dry run, where the directory may not exist yet): the full path. */
export function fileDst(t: FileTask): PathArg {
  return t.dir.dstWd ? [t.dir.dstWd, t.name] : filePath(t.dir.dstPath, t.name);
}

export function filePath(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, SLASH, name]);
}

export function relOf(t: FileTask): Buffer {
  return Buffer.concat([t.dir.rel, t.name]);
}

/** A directory's names, as copyfiles requests. Perf: a whole directory (up
 *  to `batch` names) goes to one thread, because threads creating names in
 *  one directory contend for its lock; a directory of 8 names or fewer gives
 *  each its own request, so a few big files are still copied in parallel. */
export function splitBatches(dir: DirJob, buf: Buffer, spans: number[], batch: number, regular: boolean, out: BatchTask[]): void {
  const n = spans.length / 2;
  const size = n <= 8 ? 1 : Math.max(1, Math.min(batch, n));
  for (let i = 0; i < n; i += size) out.push({ dir, buf, spans: spans.slice(2 * i, 2 * Math.min(n, i + size)), regular });
}
