// pstat's threads, batch size, window and directory cache: as asked, or
// chosen by the first path's filesystem (which, from a stream, arrives only
// once the input starts).
import { dirCacheClose, dirCacheOpen } from '../../aio/index.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { useThreads } from '../../cli/run-support.js';
import { LOCAL_BATCH, REMOTE_BATCH } from './batch.js';
import type { PstatConfig } from './config.js';

export class Tuning {
  /** paths a request at most */
  batchSize: number;
  /** requests in flight at most */
  maxInflight: number;
  /** On network filesystems: handles on the last directories used, shared
   *  by all batches (small batches there split a directory's paths). */
  dirCache: number | undefined;
  tuned = false;

  constructor(private readonly cfg: PstatConfig) {
    this.batchSize = cfg.batch ?? LOCAL_BATCH;
    this.maxInflight = cfg.maxOutstanding ?? 2 * (cfg.jobs ?? LOCAL_JOBS);
  }

  /** Decides from the first path. Also with -j and --batch given: the
   *  directory cache is the filesystem's choice. */
  tune(first: Buffer): void {
    this.tuned = true;
    const remote = first.length > 0 && isLatencyBound(first);
    const threads = this.cfg.jobs ?? (remote ? REMOTE_JOBS : LOCAL_JOBS);
    useThreads(threads);
    this.maxInflight = this.cfg.maxOutstanding ?? 2 * threads;
    this.batchSize = this.cfg.batch ?? (remote ? REMOTE_BATCH : LOCAL_BATCH);
    if (remote) this.dirCache = dirCacheOpen();
  }

  close(): void {
    if (this.dirCache) dirCacheClose(this.dirCache);
  }
}
