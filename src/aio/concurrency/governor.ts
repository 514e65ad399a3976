// The controller (controller.ts) bound to the event loop and libeio's pool:
// the loop feeds it at every poll, and each new limit becomes the pool's
// thread count (min and max, so the threads start at once) and is handed
// to whoever keeps requests in flight (onLimit: a command's engine sets its
// own queue from it). IOAIO_DEBUG=concurrency logs every window's verdict
// to stderr, with the rate and latency that caused it.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getLoop } from '../issue.js';
import { nowMs } from '../clock.js';
import { maxParallel, minParallel } from '../pool.js';
import { ConcurrencyController, type Change, type ControllerOptions } from './controller.js';

export interface AdaptiveOptions extends ControllerOptions {
  /** called with each new limit (after the pool has it) */
  onLimit?: (limit: number, change: Change) => void;
  /** where IOAIO_DEBUG=concurrency lines go (default: stderr); `log: false` silences them */
  log?: ((line: string) => void) | false;
  /** units of work done so far (entries, paths): the rate is then measured
   *  in them, not in requests (for requests whose work varies, as a walk's
   *  or a removal's steps, bounded by time) */
  work?: () => number;
  /** the pool's threads for a limit (default: the limit itself) */
  threads?: (limit: number) => number;
}

/** What a run's concurrency was, for summaries. */
export interface ConcurrencySummary {
  mode: 'auto';
  start: number;
  final: number;
  lowest: number;
  highest: number;
  changes: number;
}

export class Governor {
  readonly controller: ConcurrencyController;
  readonly start: number;
  lowest: number;
  highest: number;
  changes = 0;
  private readonly t0 = nowMs();
  private readonly onLimit: AdaptiveOptions['onLimit'];
  private readonly work: AdaptiveOptions['work'];
  private readonly threads: (limit: number) => number;
  private readonly log: ((line: string) => void) | undefined;
  private stopped = false;
  private firstSeen = false;
  /** the loop's meter: cap is the thread count, sample feeds the controller */
  private readonly meter = {
    cap: 0,
    sample: (now: number, completed: number, busy: number) => this.sample(now, completed, busy),
  };

  constructor(opts: AdaptiveOptions) {
    // the process's CPU time, so a run that fills the cores grows no more
    this.controller = new ConcurrencyController({ cpu: processCpuMs, cores: availableParallelism(), ...opts });
    this.start = this.lowest = this.highest = this.controller.limit;
    this.onLimit = opts.onLimit;
    this.work = opts.work;
    this.threads = opts.threads ?? ((n) => n);
    this.log = opts.log === false ? undefined : (opts.log ?? (debugging('concurrency') ? (l) => process.stderr.write(l + '\n') : undefined));
    this.apply(this.start);
    getLoop().meter = this.meter;
    this.log?.(`ioaio: concurrency start ${this.start} (min ${this.controller.min}, max ${this.controller.max})`);
  }

  /** The number of requests in flight it wants now (the pool's threads). */
  get limit(): number {
    return this.controller.limit;
  }

  /** Detaches from the loop; the pool keeps its last thread count. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const loop = getLoop();
    if (loop.meter === this.meter) loop.meter = undefined;
  }

  summary(): ConcurrencySummary {
    return { mode: 'auto', start: this.start, final: this.limit, lowest: this.lowest, highest: this.highest, changes: this.changes };
  }

  private sample(now: number, completed: number, busy: number): void {
    if (!this.firstSeen && completed > 0) {
      // the earliest a controller that measures can know anything
      this.firstSeen = true;
      this.log?.(`ioaio: concurrency first completion at ${((now - this.t0) / 1000).toFixed(3)} s`);
    }
    const ch = this.controller.observe({ now, completed, busy, work: this.work?.(), idle: performance.eventLoopUtilization().idle });
    if (!ch) return;
    this.log?.(
      `ioaio: concurrency ${ch.previous === ch.limit ? `${ch.limit} kept` : `${ch.previous} -> ${ch.limit}`} (${ch.reason}) at ${((now - this.t0) / 1000).toFixed(3)} s: ` +
        `${Math.round(ch.rate)} ${this.work ? 'units' : 'req'}/s, ${ch.latencyMs.toFixed(2)} ms a request, ${Math.round(ch.busy * 100)} % busy` +
        (Number.isFinite(ch.cpu) ? `, ${Math.round(ch.cpu * 100)} % of the cores` : ''),
    );
    if (ch.limit === ch.previous) return;
    this.changes++;
    this.lowest = Math.min(this.lowest, ch.limit);
    this.highest = Math.max(this.highest, ch.limit);
    this.apply(ch.limit);
    this.onLimit?.(ch.limit, ch);
  }

  private apply(n: number): void {
    this.meter.cap = n;
    // exactly these threads: minParallel raises max with it, maxParallel ends the extra ones
    const t = this.threads(n);
    minParallel(t);
    maxParallel(t);
  }
}

/** user + system CPU time of the process so far, ms */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Starts adapting the pool's concurrency (IOAIO_DEBUG=concurrency logs it). */
export function adaptive(opts: AdaptiveOptions): Governor {
  return new Governor(opts);
}

/** Whether IOAIO_DEBUG (a comma-separated list) names topic, or is 'all'. */
export function debugging(topic: string): boolean {
  const v = process.env.IOAIO_DEBUG;
  if (!v) return false;
  return v.split(',').some((t) => t.trim() === topic || t.trim() === 'all');
}
