// pstat's threads, batch size, window and directory cache: as asked, or
// chosen by the first path's filesystem (which, from a stream, arrives only
// once the input starts). A filesystem whose type reads local (NFS through
// overlayfs, a bind mount in a container, a cold disk) is checked by its
// first requests: they are small, and if they come back at 0.5 ms or more a
// path a thread, the paths wait on something slow and the network settings
// stay. (Timed from the first back to the last, not from their start: the
// first poll can wait on the main thread's own start-up.)
import { nowMs } from '../../aio/clock.js';
import { dirCacheClose, dirCacheOpen } from '../../aio/index.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { resolveJobs, useJobs, type ConcurrencySummaryOrFixed } from '../../cli/jobs.js';
import { LOCAL_BATCH, REMOTE_BATCH } from './batch.js';
import type { PstatConfig } from './config.js';

/** A path that takes a thread this long (ms) waits on a server or a disk,
 *  not on the CPU (a warm local lstat: a few µs; FUSE at 1 ms: 2+). */
const PROBE_SLOW_MS = 0.5;

export class Tuning {
  /** paths a request at most */
  batchSize: number;
  /** requests in flight at most */
  maxInflight: number;
  /** On network filesystems: handles on the last directories used, shared
   *  by all batches (small batches there split a directory's paths). */
  dirCache: number | undefined;
  tuned = false;
  /** -j auto: requests of one path until this many have started, then
   *  waveBatch (the first wave's answers are the controller's first
   *  evidence: at 5 ms a lookup, a batch of 8 cold paths came back after
   *  0.1 s, one path after 20 ms) */
  private wave = 0;
  private waveBatch = 0;
  /** while the first small requests are out: how many to wait for, how
   *  many are back, the paths of all but the first, the first's time */
  private probe: { want: number; back: number; paths: number; first: number; threads: number } | undefined;

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
      this.probe = { want: 2 * jobs.jobs, back: 0, paths: 0, first: 0, threads: jobs.jobs };
    }
    if (jobs.auto && this.cfg.batch === undefined) {
      this.wave = jobs.jobs;
      this.waveBatch = this.batchSize;
      this.batchSize = 1;
    }
  }

  /** A request starts (the window calls this for each). */
  started(): void {
    if (this.wave > 0 && --this.wave === 0) this.batchSize = this.waveBatch;
  }

  /** A request is back (the window calls this for each); the probes' last decides. */
  finished(paths: number): void {
    const p = this.probe;
    if (!p) return;
    const now = nowMs();
    if (p.back++ === 0) p.first = now;
    else p.paths += paths;
    if (p.back < p.want) return;
    this.probe = undefined;
    if (((now - p.first) * p.threads) / Math.max(1, p.paths) >= PROBE_SLOW_MS) this.dirCache = dirCacheOpen();
    else this.batchSize = LOCAL_BATCH;
  }

  close(): void {
    this.concurrency = this.stopJobs?.();
    this.stopJobs = undefined;
    if (this.dirCache) dirCacheClose(this.dirCache);
  }
}
