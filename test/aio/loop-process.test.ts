// Loop integration at process level, in child processes running dist/:
// an idle process exits by itself, shutdown() ends the module's loop, and a
// throwing callback becomes an uncaught exception without starving the rest
// of its batch.
import { statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, runChild } from '../helpers/child.js';

beforeAll(() => ensureDist(), 120_000);

const passwdSize = statSync('/etc/passwd').size;

describe('a process using ioaio', () => {
  it('exits by itself with code 0 after one stat (callback form)', async () => {
    const r = await runChild(`
      import { aio } from 'IOAIO';
      let doneAt = 0;
      aio.stat('/etc/passwd', (err, st) => { doneAt = performance.now(); console.log('stat', err ? err.code : st.size); });
      process.on('exit', () => console.log('linger', Math.round(performance.now() - doneAt)));
    `);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`stat ${passwdSize}`);
    // from the callback to process exit: the loop holds nothing
    expect(Number(/linger (\d+)/.exec(r.stdout)?.[1])).toBeLessThan(2000);
  });

  it('exits by itself with code 0 after one stat (promise form)', async () => {
    const r = await runChild(`
      import { aio } from 'IOAIO';
      const st = await aio.stat('/etc/passwd');
      const doneAt = performance.now();
      console.log('stat', st.size);
      process.on('exit', () => console.log('linger', Math.round(performance.now() - doneAt)));
    `);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`stat ${passwdSize}`);
    expect(Number(/linger (\d+)/.exec(r.stdout)?.[1])).toBeLessThan(2000);
  });

  it('is kept alive while a request is outstanding, and no longer', async () => {
    const r = await runChild(`
      import { aio } from 'IOAIO';
      const t0 = performance.now();
      console.log('fileno', aio.pollFileno());
      aio.busy(0.3, (err) => console.log('busy', err, Math.round(performance.now() - t0)));
    `);
    expect(r.code, r.stderr).toBe(0);
    expect(Number(/fileno (\d+)/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(0);
    const m = /busy null (\d+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(290);
  });
});

describe('shutdown', () => {
  it('waits for outstanding requests; afterwards a new request throws ERR_IOAIO_SHUTDOWN', async () => {
    const r = await runChild(`
      import { aio, IoaioError } from 'IOAIO';
      let busyDone = false;
      aio.busy(0.2, () => { busyDone = true; });
      await aio.shutdown();
      console.log('busyDone', busyDone);
      try { aio.stat('/etc/passwd', () => console.log('callback ran')); console.log('no throw'); }
      catch (e) { console.log('cb-form', e instanceof IoaioError, e.code); }
      try { await aio.nop(); console.log('no throw'); }
      catch (e) { console.log('promise-form', e instanceof IoaioError, e.code); }
      await aio.shutdown(); // a second shutdown is harmless
      console.log('end');
    `);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('busyDone true');
    expect(r.stdout).toContain('cb-form true ERR_IOAIO_SHUTDOWN');
    expect(r.stdout).toContain('promise-form true ERR_IOAIO_SHUTDOWN');
    expect(r.stdout).not.toContain('no throw');
    expect(r.stdout).not.toContain('callback ran');
    expect(r.stdout).toContain('end');
  });
});

describe('a callback that throws', () => {
  it('surfaces as an uncaught exception; the rest of its batch still runs', async () => {
    const r = await runChild(`
      import { aio } from 'IOAIO';
      const ran = [];
      process.on('exit', () => console.log('ran', JSON.stringify(ran)));
      for (let i = 0; i < 5; i++) aio.nop(() => { ran.push(i); if (i === 1) throw new Error('boom from callback ' + i); });
      // let all five finish before the loop polls, so they arrive in one batch
      const t0 = Date.now();
      while (aio.npending() < 5 && Date.now() - t0 < 5000) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      console.log('npending', aio.npending());
    `);
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toContain('npending 5');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('boom from callback 1');
    // All five callbacks ran, in whatever order their threads finished.
    const ran = JSON.parse(/ran (\[.*\])/.exec(r.stdout)![1]!) as number[];
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('in a group member still lets the group finish before the exception surfaces', async () => {
    const r = await runChild(`
      import { aio } from 'IOAIO';
      const log = [];
      process.on('exit', () => console.log('log', JSON.stringify(log)));
      const g = aio.group((err) => log.push('group ' + err));
      g.add(aio.nop(() => { log.push('a'); throw new Error('member boom'); }));
      g.add(aio.nop(() => log.push('b')));
      // both finished before the loop polls, so they arrive in one batch (on a
      // loaded machine 'a' alone could be polled first, and its throw end the process)
      const t0 = Date.now();
      while (aio.npending() < 2 && Date.now() - t0 < 5000) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    `);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('member boom');
    expect(r.stdout).toContain('"a"');
    expect(r.stdout).toContain('"b"');
    expect(r.stdout).toContain('"group null"');
  });
});
