// IO::AIO::GRP semantics (src/aio/group.ts): finishing, feeders and limits,
// results, errno, cancellation, nesting.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { aio, Group, IoaioError, type Req } from '../../src/aio/index.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'a.txt': 'hello' });
afterAll(() => removeTree(root));
afterEach(() => aio.drain());

/** The group's callback result, as a promise. */
function groupCb(): { cb: (err: IoaioError | null, v?: unknown[]) => void; done: Promise<{ err: IoaioError | null; v?: unknown[] }> } {
  let cb!: (err: IoaioError | null, v?: unknown[]) => void;
  const done = new Promise<{ err: IoaioError | null; v?: unknown[] }>((resolve) => (cb = (err, v) => resolve({ err, v })));
  return { cb, done };
}

const within = <T>(p: Promise<T>, ms = 3000) =>
  Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('groups', () => {
  it('finishes after all added members and their callbacks', async () => {
    const ran: string[] = [];
    const { cb, done } = groupCb();
    const g = aio.group((err, v) => { ran.push('group'); cb(err, v); });
    expect(g).toBeInstanceOf(Group);
    g.add(aio.busy(0.1, () => ran.push('busy')), aio.stat(`${root}/a.txt`, (err, st) => ran.push(`stat ${st?.size}`)));
    g.add(aio.nop(() => ran.push('nop')));
    const { err } = await done;
    expect(err).toBeNull();
    expect(ran.at(-1)).toBe('group');
    expect(ran.slice(0, -1).sort()).toEqual(['busy', 'nop', 'stat 5']);
    expect(g.done).toBe(true);
  });

  it('an empty group finishes on its own', async () => {
    const { cb, done } = groupCb();
    aio.group(cb);
    expect(await within(done)).toEqual({ err: null, v: [] });
  });

  it('members added from inside a member callback delay the finish', async () => {
    const ran: string[] = [];
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    g.add(aio.nop(() => {
      ran.push('first');
      g.add(aio.busy(0.1, () => {
        ran.push('second');
        g.add(aio.nop(() => ran.push('third')));
      }));
    }));
    await done;
    expect(ran).toEqual(['first', 'second', 'third']);
  });

  it('feed + limit(2): at most two active, feeder dropped when it adds nothing, finishes after the last', async () => {
    const items = Array.from({ length: 7 }, (_, i) => i);
    let active = 0;
    let maxActive = 0;
    let feederCalls = 0;
    const finished: number[] = [];
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    g.limit(2).feed((grp) => {
      feederCalls++;
      const i = items.shift();
      if (i === undefined) return;
      active++;
      maxActive = Math.max(maxActive, active);
      grp.add(aio.busy(0.01 * (i % 3), () => { active--; finished.push(i); }));
    });
    expect(active).toBe(2); // filled up to the limit at once
    const { err } = await done;
    expect(err).toBeNull();
    expect(maxActive).toBe(2);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(feederCalls).toBe(8); // seven items, then one call that added nothing
  });

  it('limit(0) pauses the feeder; raising it resumes', async () => {
    let fed = 0;
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    g.add(aio.busy(0.6, () => {})); // keeps the group open while paused
    g.feed((grp) => { if (fed < 5) { fed++; grp.add(aio.nop(() => {})); } });
    expect(fed).toBe(1); // the busy member plus one fed member make two
    g.limit(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(fed).toBe(1);
    expect(g.done).toBe(false);
    g.limit(3);
    await done;
    expect(fed).toBe(5);
  });

  it('result(...values) reaches the callback and the finished promise', async () => {
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    const fin = g.finished;
    g.add(aio.nop(() => g.result('a', 2, { three: 3 })));
    expect(await done).toEqual({ err: null, v: ['a', 2, { three: 3 }] });
    await expect(fin).resolves.toEqual(['a', 2, { three: 3 }]);
  });

  it('finished still settles when read after the group is done', async () => {
    const g = aio.group();
    g.result('late');
    g.add(aio.nop(() => {}));
    await aio.drain();
    await new Promise((r) => setImmediate(r));
    expect(g.done).toBe(true);
    expect(await within(g.finished, 1000)).toEqual(['late']);
  });

  it('errno(n) makes the group fail with that errno', async () => {
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    const fin = g.finished;
    g.add(aio.nop(() => g.errno(5)));
    const { err } = await done;
    expect(err).toBeInstanceOf(IoaioError);
    expect(err!.errno).toBe(5);
    expect(err!.code).toBe('EIO');
    await expect(fin).rejects.toMatchObject({ errno: 5, code: 'EIO' });
  });

  it('cancelSubs cancels the members (ECANCELED) but the group finishes normally', async () => {
    const errs: (string | undefined)[] = [];
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    g.add(aio.busy(0.3, (err) => errs.push(err?.code)), aio.busy(0.3, (err) => errs.push(err?.code)));
    g.feed((grp) => { grp.add(aio.nop(() => {})); });
    setTimeout(() => g.cancelSubs(), 50);
    const { err } = await done;
    expect(err).toBeNull();
    expect(errs).toEqual(['ECANCELED', 'ECANCELED']);
  });

  it('group.cancel() gives the group callback ECANCELED', async () => {
    const memberErrs: (string | undefined)[] = [];
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    const fin = g.finished;
    g.add(aio.busy(0.2, (err) => memberErrs.push(err?.code)));
    setTimeout(() => g.cancel(), 20);
    const { err } = await done;
    expect(err).toBeInstanceOf(IoaioError);
    expect(err!.code).toBe('ECANCELED');
    expect(memberErrs).toEqual(['ECANCELED']);
    await expect(fin).rejects.toMatchObject({ code: 'ECANCELED' });
    g.cancel(); // cancelling a finished group is a no-op
  });

  it('nested groups: the outer finishes after the inner and its members', async () => {
    const ran: string[] = [];
    const { cb, done } = groupCb();
    const outer = aio.group(cb);
    const inner = aio.group(() => ran.push('inner'));
    inner.add(aio.busy(0.1, () => ran.push('inner member')));
    outer.add(inner, aio.nop(() => ran.push('outer member')));
    await done;
    ran.push('outer');
    expect(ran.slice(-3)).toEqual(['inner member', 'inner', 'outer']);
    expect(ran).toContain('outer member');
  });

  it('adding a finished request is ignored; adding after the group finished throws', async () => {
    const finishedReq = aio.nop(() => {});
    await aio.drain();
    expect(finishedReq.done).toBe(true);
    const { cb, done } = groupCb();
    const g = aio.group(cb);
    g.add(finishedReq);
    expect(g.members.size).toBe(0);
    expect(finishedReq.group).toBeUndefined();
    expect(await within(done)).toEqual({ err: null, v: [] });
    expect(() => g.add(aio.nop(() => {}))).toThrow(/finished/);
    expect(() => aio.group().add(aio.nop() as unknown as Req)).toThrow(TypeError);
  });
});
