// Request priorities (IO::AIO's aioreq_pri / aioreq_nice): with one thread
// kept busy, a high-priority request queued after low-priority ones runs first.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

beforeAll(async () => {
  // Start libeio's pool first: settings made before it exists are lost
  // (pool.test.ts has that case).
  await aio.nop();
  aio.maxParallel(1);
  aio.minParallel(1);
});

afterEach(async () => {
  await aio.drain();
  aio.maxOutstanding(0);
  expect(aio.pri()).toBe(0);
});

const before = (order: string[], a: string, b: string) => {
  expect(order).toContain(a);
  expect(order).toContain(b);
  expect(order.indexOf(a), `${a} before ${b} in ${order.join(',')}`).toBeLessThan(order.indexOf(b));
};

describe('priorities', () => {
  it('callback form with { pri }: the high one completes before the queued low ones', async () => {
    const order: string[] = [];
    aio.busy(0.3, () => order.push('busy'));
    aio.nop({ pri: -4 }, () => order.push('low0'));
    aio.busy(0.01, { pri: -4 }, () => order.push('low1'));
    aio.nop({ pri: -4 }, () => order.push('low2'));
    aio.nop({ pri: 4 }, () => order.push('high'));
    expect(aio.nthreads()).toBe(1);
    await aio.drain();
    expect(order).toHaveLength(5);
    for (const low of ['low0', 'low1', 'low2']) {
      before(order, 'busy', low);
      before(order, 'high', low);
    }
    // equal priorities keep their order
    before(order, 'low0', 'low1');
    before(order, 'low1', 'low2');
  });

  it('promise form with aio.pri(-4) / aio.nice(4) for the low ones and aio.pri(4) for the high one', async () => {
    const order: string[] = [];
    const all = [aio.busy(0.3).then(() => order.push('busy'))];
    expect(aio.pri(-4)).toBe(0); // returns the previous value
    expect(aio.pri()).toBe(-4);
    all.push(aio.nop().then(() => order.push('pri-4')));
    expect(aio.pri()).toBe(0); // used up by that request
    aio.nice(4);
    expect(aio.pri()).toBe(-4);
    all.push(aio.busy(0.01).then(() => order.push('nice4')));
    all.push(aio.nop().then(() => order.push('default')));
    aio.pri(4);
    all.push(aio.nop().then(() => order.push('high')));
    await Promise.all(all);
    before(order, 'high', 'default');
    before(order, 'default', 'pri-4');
    before(order, 'high', 'pri-4');
    before(order, 'high', 'nice4');
    before(order, 'busy', 'pri-4');
  });

  it('aio.pri clamps to -4..4 and rejects non-integers', () => {
    aio.pri(100);
    expect(aio.pri(0)).toBe(4);
    aio.pri(-100);
    expect(aio.pri(0)).toBe(-4);
    aio.nice(-20);
    expect(aio.pri(0)).toBe(4);
    expect(() => aio.pri(1.5)).toThrow(TypeError);
    expect(() => aio.nop({ pri: 0.5 })).toThrow(TypeError);
  });

  it('requests held back by maxOutstanding go to libeio by priority', async () => {
    aio.maxOutstanding(1);
    const order: string[] = [];
    aio.busy(0.1, () => order.push('busy'));
    aio.nop({ pri: -4 }, () => order.push('low'));
    aio.nop(() => order.push('mid'));
    aio.nop({ pri: 99 }, () => order.push('clamped-high'));
    expect(aio.nreqs()).toBe(1);
    expect(aio.outstanding()).toBe(4);
    await aio.drain();
    expect(order).toEqual(['busy', 'clamped-high', 'mid', 'low']);
  });
});
