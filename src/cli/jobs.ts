// -j: how many requests each command keeps in flight. `auto` (the default)
// starts from the guess by filesystem type (fs-kind.ts) and lets the core's
// controller move it while the command runs; `-j N` pins N threads, as
// before. One place, so the five commands agree.
import { InvalidArgumentError } from 'commander';
import { aio, type ConcurrencySummary, type Governor } from '../aio/index.js';
import { LOCAL_JOBS, REMOTE_JOBS } from './fs-kind.js';

/** The most threads -j auto goes to (-j N may ask for more). In every
 *  sweep of bench/concurrency.mjs (2026-12-07), 512 was slower than 256, by
 *  3 to 270 %: past a server's slots the extra requests only queue, and a
 *  probe up there costs windows a short run does not have. */
export const AUTO_MAX_JOBS = 256;

export type JobsArg = number | 'auto';

/** commander's parser for -j: 'auto' or a positive integer. */
export function jobsArg(v: string): JobsArg {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--jobs must be 'auto' or a positive integer, got '${v}'`);
  return n;
}

/** -j's help line; `where` says when the start is the network guess. */
export function jobsHelp(where: string, local = `${LOCAL_JOBS}`): string {
  return `requests in flight on worker threads: auto (the default) adapts while running, from the rate and latency it measures, starting at ${REMOTE_JOBS} ${where} and ${local} elsewhere, up to ${AUTO_MAX_JOBS}; N pins N threads`;
}

export interface Jobs {
  /** threads to start with (all of them for -j N) */
  jobs: number;
  /** adapted while running */
  auto: boolean;
}

/** -j's value (undefined: not given) and the filesystem's guess -> Jobs. */
export function resolveJobs(arg: JobsArg | undefined, guess: number): Jobs {
  return typeof arg === 'number' ? { jobs: arg, auto: false } : { jobs: guess, auto: true };
}

let governor: Governor | undefined;

export interface JobsHooks {
  /** each new limit (the engine sets its queue from it) */
  onLimit?: (limit: number) => void;
  /** the engine's units of work done so far (entries, paths) */
  work?: () => number;
  /** the pool's threads for a limit (default: the limit) */
  threads?: (limit: number) => number;
  /** ms of a thread's time a unit of work takes when it waits on a server (ControllerOptions.slowUnitMs) */
  slowUnitMs?: number;
}

/** Sets the pool up for a run: exactly j.jobs threads, or a governor
 *  starting there that calls onLimit with each new limit. Returns a stop
 *  function, which also gives the run's concurrency for its summary. */
export function useJobs(j: Jobs, hooks: JobsHooks = {}): () => ConcurrencySummaryOrFixed {
  if (!j.auto) {
    const t = hooks.threads ? hooks.threads(j.jobs) : j.jobs;
    aio.minParallel(t);
    aio.maxParallel(t);
    return () => ({ mode: 'fixed', jobs: j.jobs });
  }
  const { onLimit, work, threads, slowUnitMs } = hooks;
  // a filesystem whose type reads local but whose requests wait on a
  // server (NFS through overlayfs or a bind mount) goes to the network guess at once
  const g = aio.adaptive({ initial: j.jobs, max: AUTO_MAX_JOBS, slowStart: REMOTE_JOBS, slowUnitMs, onLimit, work, threads });
  governor = g;
  return () => {
    g.stop();
    if (governor === g) governor = undefined;
    return g.summary();
  };
}

export type ConcurrencySummaryOrFixed = ConcurrencySummary | { mode: 'fixed'; jobs: number };

/** For the live views: "8 threads", or "64 threads (auto)" while a governor runs. */
export function threadsLabel(): string {
  const n = governor ? governor.limit : aio.nthreads();
  return `${n} thread${n === 1 ? '' : 's'}${governor ? ' (auto)' : ''}`;
}

/** The summary line's part: "j 8" or "j auto 8->64 (8..128, 5 changes)". */
export function concurrencyText(s: ConcurrencySummaryOrFixed): string {
  if (s.mode === 'fixed') return `-j ${s.jobs}`;
  return `-j auto ${s.start}->${s.final} (${s.lowest}..${s.highest}, ${s.changes} change${s.changes === 1 ? '' : 's'})`;
}
