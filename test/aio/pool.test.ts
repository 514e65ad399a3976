// Pool limits and statistics. libeio's pool is process-wide and vitest runs
// each file in its own process, so these tests may change its settings; they
// run in order and each sets what it relies on.
import { afterEach, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

afterEach(async () => {
  await aio.drain();
  aio.maxOutstanding(0);
  aio.maxPollReqs(0);
});

describe('pool limits', () => {
  // First in the file on purpose: nothing has started libeio's pool yet.
  it('maxParallel(1) set before the first request: four busy(0.2) run one after another', async () => {
    aio.maxParallel(1);
    aio.minParallel(1);
    const t0 = performance.now();
    const all = Promise.all([0, 1, 2, 3].map(() => aio.busy(0.2)));
    const threads = aio.nthreads();
    await all;
    expect({ threads, serialised: performance.now() - t0 >= 750 }).toEqual({ threads: 1, serialised: true });
  });

  it('counters are > 0 while requests are queued and 0 afterwards', async () => {
    aio.minParallel(4); // never lowers the thread count (see the nready test below)
    const all = Promise.all([aio.busy(0.2), aio.busy(0.2), aio.busy(0.2), aio.busy(0.2), aio.nop(), aio.nop()]);
    expect(aio.nthreads()).toBeGreaterThanOrEqual(1);
    expect(aio.nthreads()).toBeLessThanOrEqual(4);
    expect(aio.nreqs()).toBe(6);
    expect(aio.nready()).toBeGreaterThanOrEqual(2); // the nops wait for a thread
    expect(aio.nready()).toBeLessThanOrEqual(6);
    expect(aio.outstanding()).toBe(6);
    expect(aio.npending()).toBe(0);
    // block the event loop until all are finished but not yet handed to JS
    const t0 = Date.now();
    while (aio.npending() < 6 && Date.now() - t0 < 5000) sleepSync(5);
    expect(aio.npending()).toBe(6);
    expect(aio.nready()).toBe(0);
    expect(aio.nreqs()).toBe(6);
    expect(aio.outstanding()).toBe(6);
    await all;
    expect([aio.nreqs(), aio.nready(), aio.npending(), aio.outstanding()]).toEqual([0, 0, 0, 0]);
  });

  it('maxParallel(4) + minParallel(4): four busy(0.2) overlap', async () => {
    aio.maxParallel(4);
    aio.minParallel(4);
    const t0 = performance.now();
    let n = 0;
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 4; i++) aio.busy(0.2, () => { if (++n === 4) resolve(); });
    });
    expect(aio.nthreads()).toBe(4);
    await done;
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('maxParallel(1) on a running pool: four busy(0.2) run one after another', async () => {
    aio.maxParallel(1);
    aio.minParallel(1);
    expect(aio.nthreads()).toBe(1);
    const t0 = performance.now();
    let n = 0;
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 4; i++) aio.busy(0.2, () => { if (++n === 4) resolve(); });
    });
    expect(aio.nthreads()).toBe(1);
    await done;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(750);
  });

  it('nready() is back to 0 after maxParallel lowered the thread count', async () => {
    aio.maxParallel(4);
    aio.minParallel(4);
    await Promise.all([0, 1, 2, 3].map(() => aio.busy(0.05)));
    expect(aio.nthreads()).toBe(4);
    aio.maxParallel(1); // ends three threads
    await new Promise((r) => setTimeout(r, 100));
    await aio.nop();
    expect(aio.nthreads()).toBe(1);
    expect(aio.nready()).toBe(0);
  });

  it('maxOutstanding(2): at most two of six busy(0.1) are in libeio at once; all complete', async () => {
    aio.maxParallel(4);
    aio.minParallel(4);
    aio.maxOutstanding(2);
    const t0 = performance.now();
    let maxInLibeio = 0;
    let completed = 0;
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 6; i++) {
        aio.busy(0.1, (err) => {
          expect(err).toBeNull();
          maxInLibeio = Math.max(maxInLibeio, aio.nreqs());
          if (++completed === 6) resolve();
        });
      }
    });
    expect(aio.nreqs()).toBe(2);
    expect(aio.outstanding()).toBe(6);
    await done;
    expect(completed).toBe(6);
    expect(maxInLibeio).toBeLessThanOrEqual(2);
    // three rounds of two, not one round of four plus one of two
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(aio.outstanding()).toBe(0);
  });

  it('maxOutstanding also applies to the promise form', async () => {
    aio.maxOutstanding(1);
    const all = Promise.all([aio.nop(), aio.nop(), aio.stat('/'), aio.nop()]);
    expect(aio.nreqs()).toBe(1);
    expect(aio.outstanding()).toBe(4);
    const [, , st] = await all;
    expect(st!.isDirectory()).toBe(true);
  });

  it('maxPollReqs(1): one result per poll, and many nops still all complete', async () => {
    aio.maxPollReqs(1);
    let n = 0;
    for (let i = 0; i < 50; i++) aio.nop(() => n++);
    const t0 = Date.now();
    while (aio.npending() < 50 && Date.now() - t0 < 5000) sleepSync(2);
    expect(aio.pollCb()).toBe(1);
    expect(n).toBe(1);
    const rest = await Promise.all(Array.from({ length: 50 }, () => aio.nop()));
    expect(rest).toHaveLength(50);
    await aio.drain();
    expect(n).toBe(50);
  });

  // maxParallel(0) pauses the pool; every way back must restart what waits.
  for (const [how, resume] of [
    ['maxParallel(2)', () => aio.maxParallel(2)],
    ['minParallel(2)', () => aio.minParallel(2)],
  ] as const) {
    it(`a paused pool resumes with ${how}: the queued request finishes`, async () => {
      aio.minParallel(4);
      aio.maxParallel(0);
      await new Promise((r) => setTimeout(r, 50)); // the ended threads are gone
      let done = false;
      const req = aio.nop().then(() => { done = true; });
      await new Promise((r) => setTimeout(r, 200));
      expect({ done, threads: aio.nthreads(), outstanding: aio.outstanding() }).toEqual({ done: false, threads: 0, outstanding: 1 });
      resume();
      expect(aio.nthreads()).toBeGreaterThanOrEqual(1); // started at once, not at the next submission
      await req;
      expect(done).toBe(true);
    });
  }

  it('flush() after a paused pool resumes returns with the queued work done', () => {
    aio.minParallel(4);
    aio.maxParallel(0);
    let n = 0;
    for (let i = 0; i < 3; i++) aio.nop(() => n++);
    aio.maxParallel(4);
    aio.flush();
    expect(n).toBe(3);
    expect(aio.nthreads()).toBeLessThanOrEqual(4);
  });

  it('raising maxParallel gives back the minimum asked for, no more', async () => {
    aio.minParallel(3);
    aio.maxParallel(1);
    aio.maxParallel(16);
    await Promise.all([0, 1, 2, 3, 4, 5].map(() => aio.busy(0.05)));
    expect(aio.nthreads()).toBeLessThanOrEqual(4); // the highest minimum this file asked for; 6 if the maximum had raised it
  });

  it('rejects bad limits at once', () => {
    expect(() => aio.maxParallel(-1)).toThrow(TypeError);
    expect(() => aio.maxOutstanding(1.5)).toThrow(TypeError);
    expect(() => aio.maxPollReqs('2' as unknown as number)).toThrow(TypeError);
  });
});
