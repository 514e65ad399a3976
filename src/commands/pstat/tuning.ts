// pstat's threads, batch size, window and directory cache: as asked, or
// chosen by the first path's filesystem (which, from a stream, arrives only
// once the input starts). A filesystem whose type reads local (NFS through
// overlayfs, a bind mount in a container, a cold disk) is checked by its
// first requests: they are small, and if the first back took 0.2 ms or more
// a path, the paths wait on something slow and the network settings stay.
import { nowMs } from '../../aio/clock.js';
import { dirCacheClose, dirCacheOpen } from '../../aio/index.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { resolveJobs, useJobs, type ConcurrencySummaryOrFixed } from '../../cli/jobs.js';
import { LOCAL_BATCH, REMOTE_BATCH } from './batch.js';
import type { PstatConfig } from './config.js';

/** A path that took this long (ms) in the first request waits on a server or a disk, not on the CPU. */
const PROBE_SLOW_MS = 0.2;

export class Tuning {
  /** paths a request at most */
  batchSize: number;
  /** requests in flight at most */
  maxInflight: number;
  /** On network filesystems: handles on the last directories used, shared
   *  by all batches (small batches there split a directory's paths). */
  dirCache: number | undefined;
  tuned = false;
  /** while the first small requests are out: their start times by sequence number */
  private probes: Map<number, number> | undefined;

  constructor(
    private readonly cfg: PstatConfig,
    /** paths stat'ed so far (a request stats a batch of them) */
    private readonly work?: () => number,
  ) {
    this.batchSize = cfg.batch ?? LOCAL_BATCH;
    this.maxInflight = cfg.maxOutstanding ?? 2 * (typeof cfg.jobs === 'number' ? cfg.jobs : LOCAL_JOBS);
  }

  /** ends -j auto's governor; the run's concurrency, for the summary */
  private stopJobs: (() => ConcurrencySummaryOrFixed) | undefined;
  concurrency: ConcurrencySummaryOrFixed | undefined;

  /** Decides from the first path. Also with -j and --batch given: the
   *  directory cache is the filesystem's choice. */
  tune(first: Buffer): void {
    this.tuned = true;
    const remote = first.length > 0 && isLatencyBound(first);
    const jobs = resolveJobs(this.cfg.jobs, remote ? REMOTE_JOBS : LOCAL_JOBS);
    // -j auto: the window of stat requests follows the governor's limit
    this.stopJobs = useJobs(jobs, {
      onLimit: (n) => {
        if (this.cfg.maxOutstanding === undefined) this.maxInflight = 2 * n;
      },
      work: this.work,
    });
    this.maxInflight = this.cfg.maxOutstanding ?? 2 * jobs.jobs;
    this.batchSize = this.cfg.batch ?? (remote ? REMOTE_BATCH : LOCAL_BATCH);
    if (remote) this.dirCache = dirCacheOpen();
    else if (this.cfg.batch === undefined) {
      this.batchSize = REMOTE_BATCH;
      this.probes = new Map();
    }
  }

  /** A request starts (the window calls this for each). */
  started(seq: number): void {
    this.probes?.set(seq, nowMs());
  }

  /** A request is back: the first one ends the probing. */
  finished(seq: number, paths: number): void {
    const p = this.probes;
    const t0 = p?.get(seq);
    if (t0 === undefined) return;
    this.probes = undefined;
    if ((nowMs() - t0) / Math.max(1, paths) >= PROBE_SLOW_MS) this.dirCache = dirCacheOpen();
    else this.batchSize = LOCAL_BATCH;
  }

  close(): void {
    this.concurrency = this.stopJobs?.();
    this.stopJobs = undefined;
    if (this.dirCache) dirCacheClose(this.dirCache);
  }
}
