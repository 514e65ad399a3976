// Paths gathered into stat requests (aio.statBatch): one request, one result
// record and one callback per batch instead of per path.
import type { IoaioError, StatBatch } from '../../aio/index.js';

/** Paths per request on local disks: enough to make the per-request cost
 *  vanish, small enough that both cores get work early. */
export const LOCAL_BATCH = 128;
/** On NFS, FUSE and the like each stat waits on round trips and the paths of
 *  one batch go one after another: small batches keep every thread busy. */
export const REMOTE_BATCH = 8;

/** Perf: the paths to stat are copied once, straight from the input chunk
 *  into the request's buffer (each followed by its NUL); the output reads
 *  them back as views of it. */
export class PathBatch {
  private enc = Buffer.allocUnsafe(8192);
  private used = 0;
  /** per path: its offset in enc, or -1 for a bad one */
  private readonly offs: number[] = [];
  private readonly lens: number[] = [];
  /** bad paths (not stat'ed, reported in their place): index -> [copy, why] */
  private bad: Map<number, [Buffer, string]> | undefined;
  /** Paths to stat. */
  good = 0;

  /** mayHaveNul: paths come from newline-separated input (with -0 or from
   *  argv they cannot hold a NUL, and the check is skipped). */
  constructor(private readonly mayHaveNul: boolean) {}

  get size(): number {
    return this.offs.length;
  }

  /** Adds src[start, end). */
  add(src: Buffer, start: number, end: number): void {
    const len = end - start;
    const why = len === 0 ? 'empty path' : this.mayHaveNul && hasNul(src, start, end) ? 'a path cannot contain a NUL byte' : undefined;
    if (why) {
      (this.bad ??= new Map()).set(this.offs.length, [Buffer.from(src.subarray(start, end)), why]);
      this.offs.push(-1);
      this.lens.push(len);
      return;
    }
    if (this.used + len + 1 > this.enc.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.enc.length * 2, this.used + len + 1));
      this.enc.copy(bigger, 0, 0, this.used);
      this.enc = bigger;
    }
    this.offs.push(this.used);
    this.lens.push(len);
    this.used += src.copy(this.enc, this.used, start, end);
    this.enc[this.used++] = 0;
    this.good++;
  }

  /** Path i's bytes (a view). */
  path(i: number): Buffer {
    const o = this.offs[i]!;
    return o < 0 ? this.bad!.get(i)![0] : this.enc.subarray(o, o + this.lens[i]!);
  }

  /** Why path i is not stat'ed, or undefined. */
  badReason(i: number): string | undefined {
    return this.offs[i]! < 0 ? this.bad!.get(i)![1] : undefined;
  }

  /** The request's input: the paths to stat, each followed by a NUL. */
  encode(): Buffer {
    return this.enc.subarray(0, this.used);
  }
}

function hasNul(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] === 0) return true;
  return false;
}

/** A batch with what came back: the results, or the whole request's error. */
export interface BatchResult {
  batch: PathBatch;
  res?: StatBatch;
  err?: IoaioError;
}
