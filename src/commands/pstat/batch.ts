// Paths gathered into stat requests (aio.statBatch): one request, one result
// record and one callback per batch instead of per path.
import type { IoaioError, StatBatch } from '../../aio/index.js';

/** Why a path is not stat'ed (both the JS and the worker batches). */
export const EMPTY_PATH = 'empty path';
export const NUL_IN_PATH = 'a path cannot contain a NUL byte';

/** Paths per request on local disks: enough to make the per-request cost
 *  vanish, small enough that both cores get work early. */
export const LOCAL_BATCH = 512;
/** On NFS, FUSE and the like each stat waits on round trips and the paths of
 *  one batch go one after another: small batches keep every thread busy. */
export const REMOTE_BATCH = 8;

/** Perf: paths stay latin1 strings (one char per byte, so any bytes
 *  survive) from the input chunk to the output line; a batch is encoded for
 *  the request in one call, not one per path. */
export class PathBatch {
  /** the paths, as latin1 strings */
  readonly names: string[] = [];
  /** bad paths (not stat'ed, reported in their place): index -> why */
  private bad: Map<number, string> | undefined;
  /** Paths to stat. */
  good = 0;

  /** mayHaveNul: paths come from newline-separated input (with -0 or from
   *  argv they cannot hold a NUL, and the check is skipped). */
  constructor(private readonly mayHaveNul: boolean) {}

  get size(): number {
    return this.names.length;
  }

  add(name: string): void {
    const why = name.length === 0 ? EMPTY_PATH : this.mayHaveNul && name.includes('\0') ? NUL_IN_PATH : undefined;
    if (why) (this.bad ??= new Map()).set(this.names.length, why);
    else this.good++;
    this.names.push(name);
  }

  /** Why path i is not stat'ed, or undefined. */
  badReason(i: number): string | undefined {
    return this.bad?.get(i);
  }

  /** The request's input: the paths to stat, each followed by a NUL. */
  encode(): Buffer {
    const bad = this.bad;
    const names = bad ? this.names.filter((_, i) => !bad.has(i)) : this.names;
    return Buffer.from(names.join('\0') + '\0', 'latin1');
  }
}

/** A batch with what came back: the results, or the whole request's error. */
export interface BatchResult {
  batch: PathBatch;
  res?: StatBatch;
  err?: IoaioError;
}
