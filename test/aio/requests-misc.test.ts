// nop, busy, sync, and load (whole files, inline and detached payloads).
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, Req } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith, viaCb } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'small.txt': 'small file', 'empty.txt': '', dir: {} });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

describe('nop / busy / sync', () => {
  it('nop resolves undefined, in both forms', async () => {
    expect(await aio.nop()).toBeUndefined();
    const o = await viaCb<void>((cb) => aio.nop(cb));
    expect(o.err).toBeNull();
    expect(o.handle).toBeInstanceOf(Req);
    expect((o.handle as Req).done).toBe(true);
    expect((o.handle as Req).syscall).toBe('nop');
  });

  it('busy takes at least the given time', async () => {
    let t = performance.now();
    await aio.busy(0.15);
    expect(performance.now() - t).toBeGreaterThanOrEqual(145);
    t = performance.now();
    await cbOk<void>((cb) => aio.busy(0.1, cb));
    expect(performance.now() - t).toBeGreaterThanOrEqual(95);
  });

  it('busy does not block the event loop', async () => {
    let ticks = 0;
    const iv = setInterval(() => ticks++, 10);
    await aio.busy(0.12);
    clearInterval(iv);
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('sync resolves undefined, in both forms', async () => {
    expect(await aio.sync()).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.sync(cb))).toBeUndefined();
  });
});

describe('load', () => {
  it('loads a small file and an empty file', async () => {
    const b = await aio.load(P('small.txt'));
    expect(Buffer.isBuffer(b)).toBe(true);
    expect(b.toString()).toBe('small file');
    const e = await aio.load(P('empty.txt'));
    expect(Buffer.isBuffer(e)).toBe(true);
    expect(e.length).toBe(0);
  });

  it('loads a 1 MiB file byte for byte (detached payload)', async () => {
    const big = Buffer.alloc(1 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 10)) & 0xff;
    fs.writeFileSync(P('big.bin'), big);
    const got = await aio.load(P('big.bin'));
    expect(got.length).toBe(big.length);
    expect(got.equals(big)).toBe(true);
    const viaCallback = await cbOk<Buffer>((cb) => aio.load(P('big.bin'), cb));
    expect(viaCallback.equals(big)).toBe(true);
  });

  it('loads exactly 64 KiB and 64 KiB + 1 (either side of the inline limit)', async () => {
    for (const n of [65536 - 8, 65536, 65537]) {
      const buf = Buffer.alloc(n, 0x41);
      buf[n - 1] = 0x5a;
      fs.writeFileSync(P(`edge-${n}`), buf);
      expect((await aio.load(P(`edge-${n}`))).equals(buf)).toBe(true);
    }
  });

  it('a loaded buffer stays intact after more requests complete', async () => {
    const a = await aio.load(P('small.txt'));
    fs.writeFileSync(P('other.txt'), 'XXXXXXXXXXXXXXXXXXXX');
    await Promise.all([aio.load(P('other.txt')), aio.stat(P('other.txt')), aio.readdir(root)]);
    expect(a.toString()).toBe('small file');
  });

  it('300 concurrent loads, inline and detached mixed, each get their own bytes', async () => {
    const files = Array.from({ length: 300 }, (_, i) => {
      const b = Buffer.alloc(i % 7 === 0 ? 70_000 + i : 100 + i, i & 0xff);
      b.writeUInt32LE(i, 0);
      fs.writeFileSync(P(`c${i}`), b);
      return b;
    });
    const got = await Promise.all(files.map((_, i) => aio.load(P(`c${i}`))));
    const wrong = got.map((g, i) => (g.equals(files[i]!) ? -1 : i)).filter((i) => i >= 0);
    expect(wrong).toEqual([]);
  });

  it('loads files whose size stat does not know (/proc)', async () => {
    const b = await aio.load('/proc/self/status');
    expect(b.toString()).toMatch(/^Name:/);
  });

  it('errors: ENOENT and EISDIR, in both forms', async () => {
    await rejectsWith(aio.load(P('missing')), { code: 'ENOENT', syscall: 'load', path: P('missing') });
    await cbFails((cb) => aio.load(P('dir'), cb), { code: 'EISDIR', syscall: 'load', path: P('dir') });
  });
});

describe('callback form with trailing optional arguments omitted', () => {
  // Type-checked too (npm test runs tsc over test/): Call<A, T> accepts a
  // callback after any prefix of the optional arguments.
  it('open(path, flags, cb), mkdir(path, cb), readdirx(path, cb), copy(a, b, cb), scandir(p, cb), slurp(p, cb)', async () => {
    const fd = await cbOk<number>((cb) => aio.open(P('small.txt'), 'r', cb));
    expect(fs.fstatSync(fd).size).toBe(10);
    await aio.close(fd);
    await cbOk<void>((cb) => aio.mkdir(P('cbdir'), cb));
    expect(fs.statSync(P('cbdir')).isDirectory()).toBe(true);
    const x = await cbOk<{ entries: unknown[] }>((cb) => aio.readdirx(P('cbdir'), cb));
    expect(x.entries).toEqual([]);
    await cbOk<void>((cb) => aio.copy(P('small.txt'), P('cbdir/copy'), cb));
    expect(fs.readFileSync(P('cbdir/copy'), 'utf8')).toBe('small file');
    const s = await cbOk<{ nondirs: unknown[] }>((cb) => aio.scandir(P('cbdir'), cb));
    expect(s.nondirs).toEqual(['copy']);
    const b = await cbOk<Buffer>((cb) => aio.slurp(P('small.txt'), cb));
    expect(b.toString()).toBe('small file');
  });
});
