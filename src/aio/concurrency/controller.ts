// How many requests to keep in flight, found while running. Pure logic: it
// is fed cumulative counters (completions, and the integral of requests in
// service over time) and answers with a new limit when one is due. The
// governor (governor.ts) feeds it from the event loop and applies its
// answers to libeio's pool; the unit tests feed it from a simulated server.
//
// The method, per measuring window (windowMs, and at least minCompletions
// completions):
// - rate = completions per second; in service = the mean number of requests
//   on a thread; latency = in service / rate (Little's law). A window where
//   the threads were not kept busy (in service below busyShare of the
//   limit) says nothing about the filesystem, only that the work ran short:
//   no decision is made from it.
// - grow: the limit doubles while each doubling raises the rate by growGain
//   (as TCP's slow start); when one does not, the limit goes back to the
//   last level that paid, or halfway when the rise was small (the knee).
// - steady: a cycle of four windows. base, up (limit × probeStep): kept if
//   the rate rose by probeGain, else undone; base again, down (limit /
//   probeStep): kept if the rate stayed within keepShare of the base (the
//   extra requests only queued: latency rose without throughput), else
//   undone. Two ups kept in a row go back to grow: the server has room.
// Each probe is judged against the window just before it, so a server that
// slows down or frees up mid-run is followed; never below min, above max.
//
// Compared with Netflix's concurrency-limits (Vegas, Gradient2), which steer
// by the latency alone, this steers by the rate: with threads that block,
// latency grows with queueing in the kernel, in the client and in the
// server alike, and only the rate tells whether more requests still buy
// anything.

export interface ControllerOptions {
  /** the limit to start from (the guess by filesystem type) */
  initial: number;
  /** never fewer (default 1) */
  min?: number;
  /** never more (default 1024) */
  max?: number;
  /** a measuring window at least this long (ms, default 25) */
  windowMs?: number;
  /** and with at least this many completions (default 32), up to 8 windows' time */
  minCompletions?: number;
  /** start in the grow phase (default true) */
  grow?: boolean;
  /** a doubling must raise the rate this much to go on (default 1.12) */
  growGain?: number;
  /** a steady probe's step (default 1.25) */
  probeStep?: number;
  /** a probe up must raise the rate this much to be kept (default 1.08) */
  probeGain?: number;
  /** a probe down is kept if the rate stays above this share (default 0.97) */
  keepShare?: number;
  /** a window whose threads were busy less than this share is not judged (default 0.75) */
  busyShare?: number;
}

/** The counters the controller is fed, cumulative since any fixed origin. */
export interface Sample {
  /** ms, monotonic */
  now: number;
  /** requests completed */
  completed: number;
  /** ∫ requests in service dt, in request·ms */
  busy: number;
}

export type ChangeReason = 'grow' | 'knee' | 'probe-up' | 'probe-down' | 'kept' | 'undone';

/** One window's measurement, and the limit it led to. */
export interface Change {
  limit: number;
  previous: number;
  reason: ChangeReason;
  /** completions per second in the window that decided it */
  rate: number;
  /** ms a request spent in service (Little's law) */
  latencyMs: number;
  /** mean share of the limit that was in service */
  busy: number;
}

type Step = 'base-up' | 'up' | 'base-down' | 'down';

interface Window {
  start: number;
  completed: number;
  busy: number;
}

interface Measure {
  rate: number;
  latencyMs: number;
  busy: number;
}

export class ConcurrencyController {
  limit: number;
  phase: 'grow' | 'steady';
  readonly min: number;
  readonly max: number;
  private readonly o: Required<Omit<ControllerOptions, 'initial' | 'min' | 'max' | 'grow'>>;
  private win: Window | undefined;
  /** grow: the last level whose doubling paid, and its rate */
  private paid: { limit: number; rate: number } | undefined;
  private step: Step = 'base-up';
  /** steady: the limit and rate of the window before a probe */
  private base: { limit: number; rate: number } | undefined;
  private upsKept = 0;
  /** the last window's measure, whatever was decided */
  last: Measure | undefined;
  /** after a change, the next window opens once a request's time has passed
   *  (the threads and the queue take that long to follow) */
  private settleUntil = -Infinity;

  constructor(opts: ControllerOptions) {
    this.min = Math.max(1, Math.floor(opts.min ?? 1));
    this.max = Math.max(this.min, Math.floor(opts.max ?? 1024));
    this.limit = this.clamp(opts.initial);
    this.phase = opts.grow === false ? 'steady' : 'grow';
    this.o = {
      windowMs: opts.windowMs ?? 25,
      minCompletions: opts.minCompletions ?? 32,
      growGain: opts.growGain ?? 1.12,
      probeStep: opts.probeStep ?? 1.25,
      probeGain: opts.probeGain ?? 1.08,
      keepShare: opts.keepShare ?? 0.97,
      busyShare: opts.busyShare ?? 0.75,
    };
  }

  /** Feeds the counters; returns the new limit's change when the window
   *  just closed decided one. Call it often (every poll); it is cheap. */
  observe(s: Sample): Change | undefined {
    const w = this.win;
    if (!w || s.now < this.settleUntil) {
      this.win = { start: s.now, completed: s.completed, busy: s.busy };
      return undefined;
    }
    const dt = s.now - w.start;
    const done = s.completed - w.completed;
    if (dt < this.o.windowMs || (done < this.o.minCompletions && dt < 8 * this.o.windowMs)) return undefined;
    this.win = { start: s.now, completed: s.completed, busy: s.busy };
    const inService = (s.busy - w.busy) / dt;
    const rate = (done * 1000) / dt;
    const m: Measure = { rate, latencyMs: done > 0 ? (inService * dt) / done : Infinity, busy: inService / this.limit };
    this.last = m;
    return this.decide(m);
  }

  private decide(m: Measure): Change | undefined {
    if (m.busy < this.o.busyShare) {
      // the work ran short: a probe under way is undone, nothing is learnt
      if (this.phase === 'steady' && (this.step === 'up' || this.step === 'down') && this.base) {
        this.step = this.step === 'up' ? 'base-down' : 'base-up';
        return this.set(this.base.limit, 'undone', m);
      }
      return undefined;
    }
    return this.phase === 'grow' ? this.grow(m) : this.steady(m);
  }

  private grow(m: Measure): Change | undefined {
    const p = this.paid;
    if (!p || m.rate >= p.rate * this.o.growGain) {
      this.paid = { limit: this.limit, rate: m.rate };
      if (this.limit < this.max) return this.set(this.limit * 2, 'grow', m);
      this.toSteady();
      return undefined;
    }
    // the last doubling did not pay: back to the level that did, or halfway
    // when the rate still rose a little
    this.toSteady();
    const knee = m.rate > p.rate * 1.03 ? Math.sqrt(p.limit * this.limit) : p.limit;
    return this.set(knee, 'knee', m);
  }

  private toSteady(): void {
    this.phase = 'steady';
    this.paid = undefined;
    this.step = 'base-up';
    this.base = undefined;
    this.upsKept = 0;
  }

  private steady(m: Measure): Change | undefined {
    const o = this.o;
    switch (this.step) {
      case 'base-up':
      case 'base-down': {
        this.base = { limit: this.limit, rate: m.rate };
        const up = this.step === 'base-up';
        const next = up ? Math.max(this.limit + 1, Math.round(this.limit * o.probeStep)) : Math.min(this.limit - 1, Math.round(this.limit / o.probeStep));
        const to = this.clamp(next);
        this.step = up ? 'up' : 'down';
        if (to === this.limit) {
          // at a bound: the other probe instead, next window
          this.step = up ? 'base-down' : 'base-up';
          return undefined;
        }
        return this.set(to, up ? 'probe-up' : 'probe-down', m);
      }
      case 'up': {
        const b = this.base!;
        this.step = 'base-down';
        if (m.rate >= b.rate * o.probeGain) {
          if (++this.upsKept >= 2) {
            // room again: grow from here
            this.phase = 'grow';
            this.paid = { limit: this.limit, rate: m.rate };
            this.upsKept = 0;
            return this.set(this.limit * 2, 'grow', m);
          }
          return this.kept(m);
        }
        this.upsKept = 0;
        return this.set(b.limit, 'undone', m);
      }
      case 'down': {
        const b = this.base!;
        this.step = 'base-up';
        if (m.rate >= b.rate * o.keepShare) return this.kept(m);
        return this.set(b.limit, 'undone', m);
      }
    }
  }

  private kept(m: Measure): Change {
    return { limit: this.limit, previous: this.limit, reason: 'kept', rate: m.rate, latencyMs: m.latencyMs, busy: m.busy };
  }

  private set(n: number, reason: ChangeReason, m: Measure): Change | undefined {
    const to = this.clamp(n);
    if (to === this.limit && reason !== 'kept') return undefined;
    const previous = this.limit;
    this.limit = to;
    if (to !== previous) {
      this.settleUntil = (this.win?.start ?? 0) + Math.min(Number.isFinite(m.latencyMs) ? m.latencyMs : 0, 4 * this.o.windowMs);
    }
    return { limit: to, previous, reason, rate: m.rate, latencyMs: m.latencyMs, busy: m.busy };
  }

  private clamp(n: number): number {
    return Math.min(this.max, Math.max(this.min, Math.round(n)));
  }
}
