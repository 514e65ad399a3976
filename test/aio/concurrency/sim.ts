// A simulated server for the concurrency controller's tests: `slots`
// requests in service at once, each taking `latencyMs`; a client that can
// complete at most `clientRate` requests per ms (its own CPU); optional
// per-extra-request overhead beyond the slots (context switches), a demand
// cap (the work runs short) and seeded noise. A fluid model, stepped every
// `tickMs`: what matters to the controller is rate and requests in service.
import { ConcurrencyController, type Change } from '../../../src/aio/concurrency/controller.js';

export interface Server {
  slots: number;
  latencyMs: number;
  clientRate?: number;
  /** rate lost per request beyond the slots (share, e.g. 0.002) */
  overhead?: number;
  /** at most this many requests exist to be in flight */
  demand?: number;
  /** the client's CPU per request (ms) and its cores: caps the rate at cores / cpuMs */
  cpuMs?: number;
  cores?: number;
}

export interface SimResult {
  /** the limit at each ms */
  limits: number[];
  changes: Change[];
  completed: number;
}

/** requests completed per ms at limit n */
export function rateAt(s: Server, n: number): number {
  const inFlight = Math.min(n, s.demand ?? Infinity);
  let r = Math.min(inFlight, s.slots) / s.latencyMs;
  if (s.clientRate !== undefined) r = Math.min(r, s.clientRate);
  if (s.cpuMs) r = Math.min(r, (s.cores ?? 1) / s.cpuMs);
  if (s.overhead) r *= Math.max(0.05, 1 - s.overhead * Math.max(0, inFlight - s.slots));
  return r;
}

/** The limit that gives the best rate (the smallest of equals). */
export function knee(s: Server, max = 1024): { limit: number; rate: number } {
  let best = { limit: 1, rate: rateAt(s, 1) };
  for (let n = 2; n <= max; n++) {
    const r = rateAt(s, n);
    if (r > best.rate * 1.0001) best = { limit: n, rate: r };
  }
  return best;
}

/** Runs the controller for `ms` against server(t) (which may step mid-run). */
/** A CPU clock the simulated client advances (give `() => clock.ms` to the controller). */
export interface CpuClock {
  ms: number;
}

export function simulate(c: ConcurrencyController, server: (tMs: number) => Server, ms: number, { tickMs = 0.5, noise = 0, seed = 1, clock = undefined as CpuClock | undefined } = {}): SimResult {
  let completed = 0;
  let busy = 0;
  let rnd = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: the same noise every run
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return (rnd >>> 0) / 0x100000000;
  };
  const limits: number[] = [];
  const changes: Change[] = [];
  c.observe({ now: 0, completed, busy });
  for (let t = tickMs; t <= ms + 1e-9; t += tickMs) {
    const s = server(t);
    const n = c.limit;
    const r = rateAt(s, n) * (1 + noise * (2 * random() - 1));
    completed += r * tickMs;
    if (clock && s.cpuMs) clock.ms += r * tickMs * s.cpuMs;
    busy += Math.min(n, s.demand ?? Infinity) * tickMs;
    const ch = c.observe({ now: t, completed: Math.floor(completed), busy });
    if (ch) changes.push(ch);
    if (Math.abs(t - Math.round(t)) < tickMs / 2) limits.push(c.limit);
  }
  return { limits, changes, completed };
}

/** The mean limit over the last `ms` of a run. */
export function tailMean(r: SimResult, ms: number): number {
  const tail = r.limits.slice(-ms);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** Requests completed between two times, at the limits the run had. */
export function completedBetween(r: SimResult, server: (tMs: number) => Server, from: number, to: number): number {
  let n = 0;
  for (let t = from; t < to; t++) n += rateAt(server(t), r.limits[t] ?? r.limits[r.limits.length - 1]!);
  return n;
}
