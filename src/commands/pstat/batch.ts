// Paths gathered into stat requests (aio.statBatch): one request, one result
// record and one callback per batch instead of per path.
import type { IoaioError, StatBatch } from '../../aio/index.js';

/** Paths per request on local disks: enough to make the per-request cost
 *  vanish, small enough that both cores get work early. */
export const LOCAL_BATCH = 128;
/** On NFS, FUSE and the like each stat waits on round trips and the paths of
 *  one batch go one after another: small batches keep every thread busy. */
export const REMOTE_BATCH = 8;

export class PathBatch {
  readonly paths: Buffer[] = [];
  /** Per path: why it is not stat'ed (reported in its place), else undefined. */
  readonly bad: (string | undefined)[] = [];
  /** Paths to stat, and their bytes with a NUL each. */
  good = 0;
  private bytes = 0;

  add(path: Buffer): void {
    const bad = path.length === 0 ? 'empty path' : path.includes(0) ? 'a path cannot contain a NUL byte' : undefined;
    this.paths.push(path);
    this.bad.push(bad);
    if (!bad) {
      this.good++;
      this.bytes += path.length + 1;
    }
  }

  get size(): number {
    return this.paths.length;
  }

  /** The request's input: the paths to stat, each followed by a NUL. */
  encode(): Buffer {
    const b = Buffer.allocUnsafe(this.bytes);
    let o = 0;
    for (let i = 0; i < this.paths.length; i++) {
      if (this.bad[i]) continue;
      o += this.paths[i]!.copy(b, o);
      b[o++] = 0;
    }
    return b;
  }
}

/** A batch with what came back: the results, or the whole request's error. */
export interface BatchResult {
  batch: PathBatch;
  res?: StatBatch;
  err?: IoaioError;
}
