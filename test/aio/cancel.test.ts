// Cancellation: handle.cancel(), AbortSignal, requests already executing,
// composites, and descriptors of cancelled opens.
import { existsSync, openSync, closeSync, constants, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aio, Group, IoaioError } from '../../src/aio/index.js';
import { makeTree, removeTree, type TreeSpec } from '../helpers/tree.js';

const root = makeTree({ 'keep.txt': 'keep me', 'a.txt': 'aaaa' });

beforeAll(async () => {
  await aio.nop(); // start the pool, so the settings below stick (see pool.test.ts)
  aio.maxParallel(1);
  aio.minParallel(1);
});
afterEach(async () => {
  await aio.drain();
  aio.maxOutstanding(0);
});
afterAll(() => removeTree(root));

type Outcome = { err: IoaioError | null; value?: unknown };
function outcome(): { cb: (err: IoaioError | null, value?: unknown) => void; done: Promise<Outcome> } {
  let cb!: (err: IoaioError | null, value?: unknown) => void;
  const done = new Promise<Outcome>((resolve) => (cb = (err, value) => resolve({ err, value })));
  return { cb, done };
}

const fdCount = () => readdirSync('/proc/self/fd').length;

describe('cancel', () => {
  it('a queued request never runs: callback gets ECANCELED, the file is still there', async () => {
    aio.busy(0.3, () => {});
    const u = outcome();
    const s = outcome();
    const unlinkReq = aio.unlink(`${root}/keep.txt`, u.cb);
    const statReq = aio.stat(`${root}/keep.txt`, s.cb);
    unlinkReq.cancel();
    statReq.cancel();
    for (const { err, value } of [await u.done, await s.done]) {
      expect(err).toBeInstanceOf(IoaioError);
      expect(err!.code).toBe('ECANCELED');
      expect(value).toBeUndefined();
    }
    expect((await u.done).err!.syscall).toBe('unlink');
    expect(existsSync(`${root}/keep.txt`)).toBe(true);
    expect(unlinkReq.done).toBe(true);
  });

  it('an already aborted signal rejects with ECANCELED (and the callback form gets it too)', async () => {
    const signal = AbortSignal.abort();
    await expect(aio.stat(`${root}/a.txt`, { signal })).rejects.toMatchObject({ code: 'ECANCELED', syscall: 'stat' });
    const o = outcome();
    aio.unlink(`${root}/a.txt`, { signal }, o.cb);
    expect((await o.done).err?.code).toBe('ECANCELED');
    expect(existsSync(`${root}/a.txt`)).toBe(true);
  });

  it('aborting later cancels a queued request', async () => {
    aio.busy(0.3, () => {});
    const ac = new AbortController();
    const p = aio.unlink(`${root}/a.txt`, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ code: 'ECANCELED' });
    expect(existsSync(`${root}/a.txt`)).toBe(true);
    // after completion, aborting does nothing
    const ac2 = new AbortController();
    await expect(aio.stat(`${root}/a.txt`, { signal: ac2.signal })).resolves.toMatchObject({ size: 4 });
    ac2.abort();
  });

  it('a request held back by maxOutstanding is cancelled before it reaches libeio', async () => {
    aio.maxOutstanding(1);
    aio.busy(0.2, () => {});
    const o = outcome();
    aio.unlink(`${root}/a.txt`, o.cb).cancel();
    expect((await o.done).err?.code).toBe('ECANCELED');
    expect(existsSync(`${root}/a.txt`)).toBe(true);
  });

  it('a request already executing still reports ECANCELED, after it finished', async () => {
    const o = outcome();
    const t0 = performance.now();
    const req = aio.busy(0.2, o.cb);
    setTimeout(() => req.cancel(), 50);
    const { err } = await o.done;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
    expect(err?.code).toBe('ECANCELED');
  });

  it('cancelling a finished request is a no-op', async () => {
    let calls = 0;
    const o = outcome();
    const req = aio.stat(`${root}/a.txt`, (err, st) => { calls++; o.cb(err, st); });
    const { err, value } = await o.done;
    expect(err).toBeNull();
    expect(value).toMatchObject({ size: 4 });
    req.cancel();
    req.cancel();
    await aio.nop();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    expect(req.error).toBeNull();
  });

  it('a composite (rmtree with a callback) returns a Group; cancelling it stops and reports ECANCELED', async () => {
    const spec: TreeSpec = {};
    for (let d = 0; d < 5; d++) {
      const sub: TreeSpec = {};
      for (let f = 0; f < 20; f++) sub[`f${f}`] = 'x';
      spec[`d${d}`] = sub;
    }
    const tree = makeTree(spec);
    try {
      aio.busy(0.2, () => {}); // everything the composite issues queues behind this
      const o = outcome();
      const g = aio.rmtree(tree, o.cb);
      expect(g).toBeInstanceOf(Group);
      g.cancel();
      const { err } = await o.done;
      expect(err?.code).toBe('ECANCELED');
      await aio.drain();
      expect(readdirSync(tree).sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
      expect(readdirSync(`${tree}/d0`)).toHaveLength(20);
    } finally {
      removeTree(tree);
    }
  });

  it('cancelled opens leave no descriptors behind (queued, or finished but not yet polled)', async () => {
    const base = fdCount();
    const codes: string[] = [];
    aio.busy(0.1, () => {});
    for (let i = 0; i < 100; i++) aio.open(`${root}/a.txt`, 'r', (err) => codes.push(err?.code ?? 'ok')).cancel();
    await aio.drain();
    // without a busy thread: these may finish in libeio before cancel() reaches them
    aio.maxParallel(4);
    aio.minParallel(4);
    const reqs = Array.from({ length: 100 }, () => aio.open(`${root}/a.txt`, 'r', (err) => codes.push(err?.code ?? 'ok')));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    for (const r of reqs) r.cancel();
    await aio.drain();
    aio.maxParallel(1);
    expect(codes).toHaveLength(200);
    expect(new Set(codes)).toEqual(new Set(['ECANCELED']));
    expect(fdCount()).toBeLessThanOrEqual(base);
  });

  it('an open cancelled while it blocks (FIFO) closes the descriptor it got', async () => {
    const fifo = `${root}/fifo`;
    execFileSync('mkfifo', [fifo]);
    const base = fdCount();
    const o = outcome();
    const req = aio.open(fifo, 'r', o.cb);
    await new Promise((r) => setTimeout(r, 100)); // the thread now blocks in open(2)
    expect(aio.npending()).toBe(0);
    req.cancel();
    const w = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK); // lets open(2) return
    const { err } = await o.done;
    closeSync(w);
    expect(err?.code).toBe('ECANCELED');
    expect(fdCount()).toBeLessThanOrEqual(base);
  });
});
