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
// - grow: the limit doubles while each step raises the rate by a quarter of
//   its own size (growGain: 1.25 for a doubling, 1.75 for four times) (as
//   TCP's slow start; it quadruples after a step that raised the rate
//   nearly in proportion, far from the knee, and first when requests take
//   1 ms or more: threads that wait on a server cost little). When a step
//   does not pay, the limit goes back to the last level that paid, or
//   halfway when the rise was small (the knee). A window with no work done
//   (a copy's first requests make directories) is not judged.
// - steady: a hill-climb in longer windows. A base window, then a probe
//   (limit × or ÷ probeStep). Up is kept if the rate rose by probeGain (15 %);
//   down is kept if the rate stayed within keepShare of the rate where the
//   descent began (the extra requests only queued: latency rose without
//   throughput). A kept probe is followed at once by another the same way;
//   an undone one by a base window and a probe the other way. Two ups kept
//   in a row go back to grow: the server has room.
// Each probe is judged against the window just before it, so a server that
// slows down or frees up mid-run is followed; never below min, above max.
//
// Compared with Netflix's concurrency-limits (Vegas, Gradient2), which steer
// by the latency alone, this steers by the rate: with threads that block,
// latency grows with queueing in the kernel, in the client and in the
// server alike, and only the rate tells whether more requests still buy
// anything.

/** A request this slow (ms in service) waits on a server rather than on the CPU. */
const SLOW_MS = 1;

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
  /** a step must raise the rate by this share of its own size to go on
   *  (default 0.25: × 1.25 for a doubling; a server that gives 12 % for
   *  twice the threads is at its knee, and the fixture's falls off it) */
  growGain?: number;
  /** a steady probe's step (default 1.25) */
  probeStep?: number;
  /** a probe up must raise the rate this much to be kept (default 1.15: a run whose rate drifts up by itself passed 1.08) */
  probeGain?: number;
  /** a probe down is kept if the rate stays above this share (default 0.97) */
  keepShare?: number;
  /** a window whose threads were busy less than this share is not judged (default 0.75) */
  busyShare?: number;
  /** when the first window's requests take 1 ms or more, grow at once to at
   *  least this (default 0: four times, as any slow start); the commands
   *  give their network guess, 64 */
  slowStart?: number;
  /** a unit of work (ControllerOptions.work) that takes a thread this long
   *  (ms) waits on a server or a device, not on the CPU: the early jump's
   *  threshold (default 1: a path's stat; a walk gives 0.1, for an entry
   *  listed from a warm local directory costs a thread about a µs) */
  slowUnitMs?: number;
  /** the process's CPU time so far in ms (user + system), read once a
   *  window: with it, a window that kept cpuShare of the cores busy changes
   *  nothing (threads past the cores only contend, and starve the thread
   *  that polls; fewer leave cores idle) */
  cpu?: () => number;
  /** the cores there are (default 1) */
  cores?: number;
  /** default 0.8 */
  cpuShare?: number;
}

/** The counters the controller is fed, cumulative since any fixed origin. */
export interface Sample {
  /** ms, monotonic */
  now: number;
  /** requests completed */
  completed: number;
  /** ∫ requests in service dt, in request·ms */
  busy: number;
  /** units of work done (entries, paths), when a request's work varies:
   *  the rate is then work per second (a step bounded by time completes as
   *  often whatever it did); requests still give the latency */
  work?: number;
  /** ms the event loop spent waiting (cumulative, as
   *  performance.eventLoopUtilization().idle): while the main thread runs,
   *  a finished request waits to be seen, and reads as still in service */
  idle?: number;
}

export type ChangeReason = 'grow' | 'knee' | 'probe-up' | 'probe-down' | 'kept' | 'undone';

/** One window's measurement, and the limit it led to. */
export interface Change {
  limit: number;
  previous: number;
  reason: ChangeReason;
  /** completions (or units of work) per second in the window that decided it */
  rate: number;
  /** ms a request spent in service (Little's law) */
  latencyMs: number;
  /** mean share of the limit that was in service */
  busy: number;
  /** share of the cores the process kept busy (NaN: no cpu clock given) */
  cpu: number;
}


interface Window {
  start: number;
  completed: number;
  busy: number;
  work: number;
  /** the process's CPU time at the start (ms), when the controller has a clock for it */
  cpu: number;
}

interface Measure {
  rate: number;
  latencyMs: number;
  busy: number;
  /** share of the cores the process kept busy in the window (NaN: not measured) */
  cpu: number;
}

export class ConcurrencyController {
  limit: number;
  phase: 'grow' | 'steady';
  readonly min: number;
  readonly max: number;
  private readonly o: Required<Omit<ControllerOptions, 'initial' | 'min' | 'max' | 'grow' | 'cpu' | 'cores'>>;
  private readonly cpu: (() => number) | undefined;
  private readonly cores: number;
  private win: Window | undefined;
  /** grow: the last level whose doubling paid, and its rate */
  private paid: { limit: number; rate: number; jump?: boolean } | undefined;
  /** grow: the rate of a window that said the last doubling did not pay */
  private doubt: number | undefined;
  /** the first sample's time; whether the early jump to slowStart was made */
  private t0: number | undefined;
  private cpuAt0 = 0;
  private work0 = 0;
  private idle0: number | undefined;
  private jumped = false;
  /** steady: measuring a base window, or a probe's */
  private step: 'base' | 'probe' = 'base';
  private dir: 'up' | 'down' = 'up';
  /** steady: the limit and rate of the window before a probe */
  private base: { limit: number; rate: number } | undefined;
  /** steady: the base rate where the current descent began */
  private ref = 0;
  private upsKept = 0;
  /** the sample before this one */
  private prev: Sample | undefined;
  /** the last window's measure, whatever was decided */
  last: Measure | undefined;
  /** after a change, the next window opens once a request's time has passed
   *  (the threads and the queue take that long to follow) */
  private settleUntil = -Infinity;
  /** after a rise, also until the added threads have each finished a
   *  request (at most until settleCap): before that a window measures the
   *  new threads' first requests still on their way (a copy through
   *  overlayfs jumped from 8 to 64, read 28 files/s in the next window and
   *  went back to 8 for the whole run) */
  private settleCount = 0;
  private settleCap = -Infinity;

  constructor(opts: ControllerOptions) {
    this.min = Math.max(1, Math.floor(opts.min ?? 1));
    this.max = Math.max(this.min, Math.floor(opts.max ?? 1024));
    this.limit = this.clamp(opts.initial);
    this.phase = opts.grow === false ? 'steady' : 'grow';
    this.o = {
      windowMs: opts.windowMs ?? 25,
      minCompletions: opts.minCompletions ?? 32,
      growGain: opts.growGain ?? 0.25,
      probeStep: opts.probeStep ?? 1.25,
      probeGain: opts.probeGain ?? 1.15,
      keepShare: opts.keepShare ?? 0.97,
      busyShare: opts.busyShare ?? 0.75,
      slowStart: opts.slowStart ?? 0,
      slowUnitMs: opts.slowUnitMs ?? SLOW_MS,
      cpuShare: opts.cpuShare ?? 0.8,
    };
    this.cpu = opts.cpu;
    this.cores = Math.max(1, opts.cores ?? 1);
  }

  /** Feeds the counters; returns the new limit's change when the window
   *  just closed decided one. Call it often (every poll); it is cheap. */
  observe(s: Sample): Change | undefined {
    const w = this.win;
    const prev = this.prev;
    this.prev = s;
    // Growing, a window opens only once the threads are kept busy: a walk
    // whose first levels have few directories would else spend its first
    // windows (and on a slow server much of its run) undecided.
    const idle = this.phase === 'grow' && prev !== undefined && s.now > prev.now && (s.busy - prev.busy) / (s.now - prev.now) < this.o.busyShare * this.limit;
    // The first window opens at the first completion: before it, every
    // request is still on its way and the rate reads as nothing.
    if (this.t0 === undefined) {
      this.t0 = s.now;
      this.work0 = s.work ?? s.completed;
      this.idle0 = s.idle;
      this.cpuAt0 = this.cpu ? this.cpu() : 0;
    }
    if (!w && s.completed === 0) return undefined;
    if (this.phase === 'grow' && !this.jumped && this.paid === undefined && this.limit < this.max && prev !== undefined && s.now > prev.now) {
      // Perf: the first completions already tell a filesystem that waits
      // on a server (slowUnitMs or more of a thread's time per unit of work
      // so far, where a warm local one takes microseconds, while the threads
      // are busy): the limit goes to four times, and at least to slowStart
      // (a start from the local guess), at once instead of after a window,
      // which is a good part of a short run there (NFS through overlayfs:
      // 8 threads for the first 76 ms of 0.2 s; pstat at 5 ms: 64 threads
      // for 0.18 s of 0.84). A server that was only queueing gets its
      // threads back by the knee and the probes down.
      // (on evidence: a limit's worth of requests, and of units since the
      // first sample; a copy's first requests make directories, which
      // count no file yet)
      const units = s.work ?? s.completed;
      // (only the share of the time the main thread was waiting counts: a
      // start-up's busy main thread made a warm local pstat's first paths
      // read 1 ms each, and the limit jumped from 8 to 64)
      const waiting = s.idle !== undefined && prev.idle !== undefined && this.idle0 !== undefined ? Math.min(1, (s.idle - this.idle0) / Math.max(1e-3, s.now - this.t0!)) : 1;
      const unitMs = (s.busy * waiting) / Math.max(1, units);
      const busy = (s.busy - prev.busy) / (s.now - prev.now) / this.limit;
      // (and the threads wait rather than compute: under half the cores busy)
      const elapsed = Math.max(1e-3, s.now - (this.t0 ?? s.now));
      const cpu = this.cpu ? (this.cpu() - this.cpuAt0) / elapsed / this.cores : NaN;
      // (the rate from the units done since the first sample's: a limit's worth of them)
      const since = units - this.work0;
      if (s.completed >= this.limit && since >= this.limit && unitMs >= this.o.slowUnitMs && busy >= this.o.busyShare && !(cpu >= 0.5)) {
        this.jumped = true;
        this.win = this.open(s);
        const rate = (since * 1000) / elapsed;
        // the jump is judged as any step: the window after it must show the
        // rate it paid for (an overloaded server's latency reads as slow too:
        // its requests only queue, and the limit goes back)
        this.paid = { limit: this.limit, rate, jump: true };
        return this.set(Math.max(4 * this.limit, this.o.slowStart), 'grow', { rate, latencyMs: s.busy / s.completed, busy, cpu });
      }
    }
    if (!w || s.now < this.settleUntil || (s.completed < this.settleCount && s.now < this.settleCap) || idle) {
      this.win = this.open(s);
      return undefined;
    }
    const dt = s.now - w.start;
    const done = s.completed - w.completed;
    // Growing, a window is short (a run on a slow server may be over in a
    // few, and each step already waits a request's latency to settle);
    // steady, it is long enough to hold several requests' latency and
    // twice the limit's completions, so the waves in which requests started
    // together finish together average out (measured on FUSE: rates of
    // 25 ms windows swung 2x on a steady walk). At most 10 windowMs: a
    // window at an overloaded limit can measure a latency of seconds.
    const lat = this.last && Number.isFinite(this.last.latencyMs) ? this.last.latencyMs : 0;
    const steady = this.phase === 'steady';
    const needMs = steady ? Math.min(10 * this.o.windowMs, Math.max(2 * this.o.windowMs, 4 * lat)) : this.o.windowMs;
    // (growing from a low limit, a limit's worth of completions will do: at
    // 8 threads of 25 ms each, 32 completions took a 0.2 s run's first 0.1 s)
    const needDone = steady ? Math.max(this.o.minCompletions, 2 * this.limit) : Math.max(4, Math.min(this.o.minCompletions, this.limit));
    if (dt < needMs || (done < needDone && dt < 8 * needMs)) return undefined;
    this.win = this.open(s);
    const inService = (s.busy - w.busy) / dt;
    const rate = (((s.work ?? s.completed) - w.work) * 1000) / dt;
    const cpu = this.cpu ? (this.win.cpu - w.cpu) / dt / this.cores : NaN;
    const m: Measure = { rate, latencyMs: done > 0 ? (inService * dt) / done : Infinity, busy: inService / this.limit, cpu };
    this.last = m;
    return this.decide(m);
  }

  private decide(m: Measure): Change | undefined {
    if (m.rate === 0) return undefined;
    if (this.cpuBound(m)) {
      // The cores are full: the work waits on the CPU, not on a server, and
      // no count of threads makes more CPU. The limit holds (a probe under
      // way is undone): measured on a tmpfs copy, windows this noisy let a
      // hill-climb wander from 1 thread (1.84 s) to 256 (1.53 s) around
      // the 1.4 s of today's 8.
      if (this.phase === 'grow') {
        this.toSteady();
        return undefined;
      }
      if (this.step === 'probe' && this.base) {
        this.step = 'base';
        this.upsKept = 0;
        return this.set(this.base.limit, 'undone', m);
      }
      return undefined;
    }
    if (m.busy < this.o.busyShare) {
      // the work ran short: a probe under way is undone, nothing is learnt
      if (this.phase === 'steady' && this.step === 'probe' && this.base) {
        this.step = 'base';
        this.upsKept = 0;
        return this.set(this.base.limit, 'undone', m);
      }
      return undefined;
    }
    return this.phase === 'grow' ? this.grow(m) : this.steady(m);
  }

  private grow(m: Measure): Change | undefined {
    const p = this.paid;
    // a doubling that seems not to pay is measured once more before growth
    // ends: one short window is easily low (measured: the first window
    // after 64 -> 256 on the 5 ms FUSE fixture read 25 % below 64's, the
    // next 4 times above it)
    const rate = this.doubt !== undefined ? Math.max(this.doubt, m.rate) : m.rate;
    const pays = !p || rate >= p.rate * (1 + this.o.growGain * (this.limit / p.limit - 1));
    if (!pays && this.doubt === undefined) {
      this.doubt = m.rate;
      return undefined;
    }
    this.doubt = undefined;
    m = { ...m, rate };
    if (pays) {
      // Perf: each step costs a request's latency and a window, and a slow
      // server's run may be over in a few. A step that raised the rate
      // nearly in proportion was far from the knee: the next is four times.
      // Threads that wait a millisecond or more on each request cost little
      // CPU: on such a server the first step is four times too, and goes
      // to slowStart at least (a network filesystem whose type did not say
      // so: NFS through overlayfs starts at the local guess).
      // (not after the early jump: its rate was measured while the first requests came in)
      const linear = p !== undefined && !p.jump && rate >= p.rate * 0.85 * (this.limit / p.limit);
      // (not again after the early jump at the first completions)
      const slow = p === undefined && m.latencyMs >= SLOW_MS && !this.jumped;
      const next = p ? (linear ? 4 : 2) * this.limit : slow ? Math.max(4 * this.limit, this.o.slowStart) : 2 * this.limit;
      this.paid = { limit: this.limit, rate: m.rate };
      if (this.limit < this.max) return this.set(next, 'grow', m);
      this.toSteady();
      return undefined;
    }
    // the last doubling did not pay: back to the level that did, or halfway
    // when the rate still rose a little
    this.toSteady();
    const knee = rate > p!.rate * 1.03 ? Math.sqrt(p!.limit * this.limit) : p!.limit;
    return this.set(knee, 'knee', m);
  }

  private toSteady(): void {
    this.phase = 'steady';
    this.paid = undefined;
    this.doubt = undefined;
    this.step = 'base';
    this.dir = 'up';
    this.base = undefined;
    this.upsKept = 0;
  }

  private steady(m: Measure): Change | undefined {
    const o = this.o;
    if (this.step === 'base') {
      this.base = { limit: this.limit, rate: m.rate };
      this.ref = m.rate;
      return this.probe(m);
    }
    const b = this.base!;
    if (this.dir === 'up') {
      if (m.rate >= b.rate * o.probeGain) {
        if (++this.upsKept >= 2) {
          // room again: grow from here
          this.phase = 'grow';
          this.paid = { limit: this.limit, rate: m.rate };
          this.upsKept = 0;
          return this.set(this.limit * 2, 'grow', m);
        }
        // it paid: the next probe goes on up, from here
        this.base = { limit: this.limit, rate: m.rate };
        return this.probe(m) ?? this.kept(m);
      }
      this.upsKept = 0;
      this.dir = 'down';
      this.step = 'base';
      return this.set(b.limit, 'undone', m);
    }
    // down: kept while the rate holds against the rate where this descent
    // began (not the last probe's, or a slow slide would pass step by step)
    if (m.rate >= this.ref * o.keepShare) {
      this.base = { limit: this.limit, rate: m.rate };
      return this.probe(m) ?? this.kept(m);
    }
    this.dir = 'up';
    this.step = 'base';
    return this.set(b.limit, 'undone', m);
  }

  /** The next probe in this.dir from the limit now; at a bound, the other way next window. */
  private probe(m: Measure): Change | undefined {
    const up = this.dir === 'up';
    const next = up ? Math.max(this.limit + 1, Math.round(this.limit * this.o.probeStep)) : Math.min(this.limit - 1, Math.round(this.limit / this.o.probeStep));
    const to = this.clamp(next);
    if (to === this.limit) {
      this.dir = up ? 'down' : 'up';
      this.step = 'base';
      return undefined;
    }
    this.step = 'probe';
    return this.set(to, up ? 'probe-up' : 'probe-down', m);
  }

  private open(s: Sample): Window {
    return { start: s.now, completed: s.completed, busy: s.busy, work: s.work ?? s.completed, cpu: this.cpu ? this.cpu() : 0 };
  }

  /** The window kept the cores busy: more threads cannot help. */
  private cpuBound(m: Measure): boolean {
    return m.cpu >= this.o.cpuShare;
  }

  private kept(m: Measure): Change {
    return { limit: this.limit, previous: this.limit, reason: 'kept', rate: m.rate, latencyMs: m.latencyMs, busy: m.busy, cpu: m.cpu };
  }

  private set(n: number, reason: ChangeReason, m: Measure): Change | undefined {
    const to = this.clamp(n);
    if (to === this.limit) return undefined;
    const previous = this.limit;
    this.limit = to;
    if (to !== previous) {
      this.settleUntil = (this.win?.start ?? 0) + Math.min(Number.isFinite(m.latencyMs) ? m.latencyMs : 0, 4 * this.o.windowMs);
      const now = this.prev?.now ?? 0;
      this.settleCount = to > previous ? (this.prev?.completed ?? 0) + (to - previous) : 0;
      this.settleCap = now + 8 * this.o.windowMs;
    }
    return { limit: to, previous, reason, rate: m.rate, latencyMs: m.latencyMs, busy: m.busy, cpu: m.cpu };
  }

  private clamp(n: number): number {
    return Math.min(this.max, Math.max(this.min, Math.round(n)));
  }
}
