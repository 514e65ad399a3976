// The concurrency controller against a simulated server (sim.ts): it finds
// the knee from below and from above, follows a latency step and a server
// that frees up or fills up, leaves alone what the work's shortage caps,
// and keeps to its bounds.
import { describe, expect, it } from 'vitest';
import { ConcurrencyController } from '../../../src/aio/concurrency/controller.js';
import { completedBetween, knee, rateAt, simulate, tailMean, type CpuClock, type Server } from './sim.js';

const fixed = (s: Server) => () => s;

describe('ConcurrencyController', () => {
  it('grows from a low start to the knee of a server with 64 slots', () => {
    const s: Server = { slots: 64, latencyMs: 1, overhead: 0.002 };
    const c = new ConcurrencyController({ initial: 8 });
    const r = simulate(c, fixed(s), 2000);
    expect(r.changes[0]!.reason).toBe('grow');
    const mean = tailMean(r, 1000);
    expect(mean).toBeGreaterThanOrEqual(48);
    expect(mean).toBeLessThanOrEqual(100);
    // and the work done is near what the best fixed limit would have done
    expect(completedBetween(r, fixed(s), 0, 2000)).toBeGreaterThan(0.9 * knee(s).rate * 2000);
  });

  it('backs off from a high start when the extra requests only queue (8 slots)', () => {
    const s: Server = { slots: 8, latencyMs: 1, overhead: 0.002 };
    const c = new ConcurrencyController({ initial: 64 });
    const r = simulate(c, fixed(s), 3000);
    const mean = tailMean(r, 1000);
    expect(mean).toBeGreaterThanOrEqual(7);
    expect(mean).toBeLessThanOrEqual(16);
    expect(r.changes.some((ch) => ch.reason === 'probe-down' || ch.reason === 'knee')).toBe(true);
  });

  it('grows quickly enough on a slow server with many slots (5 ms, 256)', () => {
    const s: Server = { slots: 256, latencyMs: 5, clientRate: 200 };
    const c = new ConcurrencyController({ initial: 64 });
    const r = simulate(c, fixed(s), 1000);
    // 64 -> 128 -> 256 -> 512 (no gain) -> back: within a few windows
    const at = r.limits.findIndex((l) => l >= 256);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(200);
    expect(tailMean(r, 500)).toBeGreaterThanOrEqual(200);
  });

  it('follows a latency step from 0.2 ms to 5 ms mid-run up, and a step back down', () => {
    // the client completes at most 100 requests per ms: 20 in flight are enough at 0.2 ms, 256 (the slots) at 5 ms
    const before: Server = { slots: 256, latencyMs: 0.2, clientRate: 100, overhead: 0.0005 };
    const after: Server = { ...before, latencyMs: 5 };
    const server = (t: number) => (t < 2000 || t >= 5000 ? before : after);
    const c = new ConcurrencyController({ initial: 64 });
    const r = simulate(c, server, 8000);
    const at2 = r.limits[1999]!;
    expect(at2).toBeLessThanOrEqual(64);
    expect(tailMean({ ...r, limits: r.limits.slice(0, 5000) }, 1000)).toBeGreaterThanOrEqual(200);
    // back at 0.2 ms the extra requests only queue: the limit comes down again
    expect(tailMean(r, 1000)).toBeLessThanOrEqual(120);
    // and the step's half loses little against the best fixed limit there
    expect(completedBetween(r, server, 2000, 5000)).toBeGreaterThan(0.8 * rateAt(after, 256) * 3000);
  });

  it('gives fewer requests to a server that another client fills up halfway', () => {
    const free: Server = { slots: 64, latencyMs: 1, overhead: 0.003 };
    const loaded: Server = { ...free, slots: 16 };
    const server = (t: number) => (t < 2000 ? free : loaded);
    const c = new ConcurrencyController({ initial: 64 });
    const r = simulate(c, server, 6000);
    expect(r.limits[1999]!).toBeGreaterThanOrEqual(48);
    expect(tailMean(r, 1000)).toBeLessThanOrEqual(32);
    expect(tailMean(r, 1000)).toBeGreaterThanOrEqual(12);
  });

  it('recovers when the server frees up again', () => {
    const loaded: Server = { slots: 16, latencyMs: 1, overhead: 0.003 };
    const free: Server = { ...loaded, slots: 128 };
    const server = (t: number) => (t < 2000 ? loaded : free);
    const c = new ConcurrencyController({ initial: 16 });
    const r = simulate(c, server, 6000);
    expect(r.limits[1999]!).toBeLessThanOrEqual(32);
    expect(tailMean(r, 1000)).toBeGreaterThanOrEqual(96);
  });

  it('does not judge windows where the work ran short (demand below the limit)', () => {
    const s: Server = { slots: 64, latencyMs: 1, demand: 4 };
    const c = new ConcurrencyController({ initial: 8 });
    const r = simulate(c, fixed(s), 2000);
    expect(r.changes).toEqual([]);
    expect(c.limit).toBe(8);
  });

  it('keeps to min and max, and to 1 at the least', () => {
    const c = new ConcurrencyController({ initial: 8, max: 32 });
    const r = simulate(c, fixed({ slots: 1000, latencyMs: 1 }), 2000);
    expect(Math.max(...r.limits)).toBe(32);
    const d = new ConcurrencyController({ initial: 8, min: 4 });
    const q = simulate(d, fixed({ slots: 1, latencyMs: 1, overhead: 0.05 }), 3000);
    expect(Math.min(...q.limits)).toBe(4);
    const e = new ConcurrencyController({ initial: 0 });
    expect(e.limit).toBe(1);
    const f = simulate(e, fixed({ slots: 1, latencyMs: 1, overhead: 0.05 }), 3000);
    expect(Math.min(...f.limits)).toBe(1);
  });

  it('holds near the knee under 5 % noise instead of wandering off', () => {
    const s: Server = { slots: 32, latencyMs: 0.5, overhead: 0.002 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const c = new ConcurrencyController({ initial: 8 });
      const r = simulate(c, fixed(s), 6000, { noise: 0.05, seed });
      const mean = tailMean(r, 3000);
      expect(mean, `seed ${seed}`).toBeGreaterThanOrEqual(24);
      expect(mean, `seed ${seed}`).toBeLessThanOrEqual(64);
    }
  });

  it('jumps at the first completions when requests wait on a server: from a local start to slowStart', () => {
    // NFS seen through overlayfs: its type says local (start 8), its requests take 1 ms
    const c = new ConcurrencyController({ initial: 8, slowStart: 64 });
    const r = simulate(c, fixed({ slots: 256, latencyMs: 1 }), 200);
    expect(r.changes[0]).toMatchObject({ previous: 8, limit: 64, reason: 'grow' });
    // before a whole window (25 ms) has passed
    expect(r.limits.findIndex((l) => l === 64)).toBeLessThan(5);
    // a local filesystem's microseconds do not jump: the first step doubles after a window
    const f = new ConcurrencyController({ initial: 8, slowStart: 64 });
    const q = simulate(f, fixed({ slots: 64, latencyMs: 0.01 }), 200);
    expect(q.changes[0]).toMatchObject({ previous: 8, limit: 16 });
    // a start already at slowStart (the network guess) on a slow server goes to four times
    const g = new ConcurrencyController({ initial: 64, slowStart: 64 });
    expect(simulate(g, fixed({ slots: 256, latencyMs: 2 }), 50).changes[0]).toMatchObject({ previous: 64, limit: 256, reason: 'grow' });
  });

  it('holds the limit while the cores are full', () => {
    // a warm local tree: each request is 25 µs of the client's own CPU on 2 cores
    const s: Server = { slots: 1000, latencyMs: 0.05, cpuMs: 0.025, cores: 2 };
    const clock: CpuClock = { ms: 0 };
    const c = new ConcurrencyController({ initial: 8, slowStart: 64, cpu: () => clock.ms, cores: 2 });
    const r = simulate(c, fixed(s), 3000, { clock });
    expect(r.changes).toEqual([]);
    expect(c.limit).toBe(8);
    // without the clock the rate alone cannot tell, and it wanders up
    const blind = new ConcurrencyController({ initial: 8 });
    expect(simulate(blind, fixed({ ...s, overhead: 0 }), 3000).changes[0]?.reason).toBe('grow');
  });

  it('reports each change with the rate, latency and busy share that caused it', () => {
    const c = new ConcurrencyController({ initial: 8 });
    const r = simulate(c, fixed({ slots: 64, latencyMs: 2 }), 500);
    const g = r.changes[0]!;
    // a server this slow (2 ms a request) gets a first step of four times
    expect(g).toMatchObject({ previous: 8, limit: 32, reason: 'grow' });
    // 8 in flight at 2 ms: 4 per ms, 2 ms each, all busy
    expect(g.rate).toBeCloseTo(4000, -2);
    expect(g.latencyMs).toBeCloseTo(2, 0);
    expect(g.busy).toBeCloseTo(1, 1);
    // a fast one (0.1 ms, the CPU's time rather than a server's) of two
    const f = new ConcurrencyController({ initial: 8 });
    expect(simulate(f, fixed({ slots: 64, latencyMs: 0.1 }), 200).changes[0]).toMatchObject({ previous: 8, limit: 16, reason: 'grow' });
  });
});
