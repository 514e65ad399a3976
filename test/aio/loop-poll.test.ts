// IO::AIO's manual loop interface: pollFileno, pollCb, pollWait, flush.
import { fstatSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { loadNative } from '../../src/aio/native/binding.js';

/** Blocks this thread (the event loop cannot poll meanwhile). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function waitPending(n: number): void {
  const t0 = Date.now();
  while (aio.npending() < n && Date.now() - t0 < 5000) sleepSync(2);
  expect(aio.npending()).toBe(n);
}

afterEach(async () => {
  await aio.drain();
  expect(aio.outstanding()).toBe(0);
});

describe('poll interface', () => {
  it('pollWait() is false with nothing in flight', () => {
    expect(aio.pollWait()).toBe(false);
    expect(aio.pollWait(100)).toBe(false);
  });

  it('pollFileno() is a readable pipe descriptor, the same each time', () => {
    const fd = aio.pollFileno();
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(aio.pollFileno()).toBe(fd);
    expect(fstatSync(fd).isFIFO()).toBe(true);
  });

  it('pollCb() returns 0 when nothing is pending', () => {
    aio.pollFileno(); // make sure the loop exists
    expect(aio.pollCb()).toBe(0);
  });

  it('pollCb() handles finished requests synchronously and returns their number', () => {
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) aio.nop((err) => seen.push(err ? -1 : i));
    expect(aio.outstanding()).toBe(3);
    waitPending(3);
    expect(seen).toEqual([]);
    expect(aio.pollCb()).toBe(3);
    expect(seen.sort()).toEqual([0, 1, 2]);
    expect(aio.outstanding()).toBe(0);
    expect(aio.pollCb()).toBe(0);
  });

  it('flush() blocks until three busy(0.1) are done and their callbacks ran', async () => {
    let n = 0;
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) aio.busy(0.1, (err) => { if (!err) n++; });
    const p = aio.busy(0.1);
    aio.flush();
    expect(n).toBe(3);
    expect(aio.outstanding()).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    await expect(p).resolves.toBeUndefined();
  });

  it('pollWait() returns true once a result is ready', () => {
    let done = false;
    aio.busy(0.05, () => { done = true; });
    const t0 = performance.now();
    expect(aio.pollWait(5000)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(4000);
    aio.flush();
    expect(done).toBe(true);
  });

  // The wake-up pipe is only drained by the socket, which cannot read while
  // JS is blocked: after a flush() its stale bytes make pollWait return at once.
  it('pollWait(timeout) times out (false) while the only request is still running, even right after a flush()', () => {
    aio.nop(() => {});
    aio.flush(); // leaves the nop's wake-up byte in the pipe
    aio.busy(0.5, () => {});
    const t0 = performance.now();
    const ready = aio.pollWait(100);
    const waited = performance.now() - t0;
    expect({ ready, waitedAtLeast90ms: waited >= 90 }).toEqual({ ready: false, waitedAtLeast90ms: true });
    aio.flush();
  });

  it('flush() sleeps rather than spins while it waits', () => {
    aio.nop(() => {});
    aio.flush();
    // count the loop's calls into ioaio_poll (it uses the same native object)
    const native = loadNative();
    const poll = native.poll;
    let polls = 0;
    native.poll = (...args) => { polls++; return poll(...args); };
    try {
      aio.busy(0.3, () => {});
      const t0 = performance.now();
      aio.flush();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    } finally {
      native.poll = poll;
    }
    // one wait and one poll per wake-up, not thousands of empty polls
    expect(polls, `flush polled ${polls} times for one busy(0.3)`).toBeLessThan(20);
  });
});
