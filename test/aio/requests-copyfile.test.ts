// copyfile: one entry copied whole on a libeio thread, in both request forms.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, CF_TEMP_PREFIX } from '../../src/aio/index.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'a.bin': Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 13) & 0xff)), d: {} });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

describe('copyfile', () => {
  it('promise form: copies data, mode and times; resolves to the outcome and the source stats', async () => {
    fs.chmodSync(P('a.bin'), 0o640);
    const r = await aio.copyfile(P('a.bin'), P('d/a.bin'), aio.CF_XATTRS);
    expect(r.outcome).toBe(aio.CF_COPIED);
    expect(r.stats.size).toBe(70000);
    expect(fs.readFileSync(P('d/a.bin')).equals(fs.readFileSync(P('a.bin')))).toBe(true);
    const s = fs.statSync(P('a.bin'), { bigint: true });
    const d = fs.statSync(P('d/a.bin'), { bigint: true });
    expect(d.mode).toBe(s.mode);
    expect(d.mtimeNs).toBe(s.mtimeNs);
    expect(fs.readdirSync(P('d')).filter((n) => n.startsWith(CF_TEMP_PREFIX))).toEqual([]);
  });

  it('callback form, relative to directory handles; CF_UPDATE skips an up-to-date copy', async () => {
    const src = await aio.dirHandle(root);
    const dst = await aio.dirHandle(P('d'));
    const r = await new Promise<{ outcome: number }>((resolve, reject) =>
      aio.copyfile([src, 'a.bin'], [dst, 'a.bin'], aio.CF_UPDATE, (err, res) => (err ? reject(err) : resolve(res!))),
    );
    expect(r.outcome).toBe(aio.CF_SKIPPED);
    await Promise.all([src.close(), dst.close()]);
  });

  it('errors carry errno, both paths, the side and the call that failed; bad flags throw at once', async () => {
    await expect(aio.copyfile(P('none'), P('d/none'))).rejects.toMatchObject({ code: 'ENOENT', side: 'src', syscall: 'stat', path: P('none'), dest: P('d/none') });
    await expect(aio.copyfile(P('a.bin'), P('no-dir/a'))).rejects.toMatchObject({ code: 'ENOENT', side: 'dst', syscall: 'open', path: P('a.bin'), dest: P('no-dir/a') });
    await expect(aio.copyfile(P('d'), P('d2'))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(() => aio.copyfile(P('a.bin'), P('x'), 1 << 12)).toThrow(TypeError);
  });

  it('CF_DIR_META gives an existing directory the source directory\'s mode and times', async () => {
    fs.mkdirSync(P('meta-src'), 0o750);
    fs.utimesSync(P('meta-src'), 1_000_000_000, 1_100_000_000);
    fs.mkdirSync(P('meta-dst'));
    await aio.copyfile(P('meta-src'), P('meta-dst'), aio.CF_DIR_META);
    const d = fs.statSync(P('meta-dst'));
    expect(d.mode & 0o7777).toBe(0o750);
    expect(d.mtimeMs).toBe(1_100_000_000_000);
  });
});

describe('copyfiles', () => {
  it('copies many names of one directory in one request, with an outcome per name', async () => {
    fs.mkdirSync(P('many'));
    fs.mkdirSync(P('many-copy'));
    for (const n of ['x', 'y', 'z']) fs.writeFileSync(P(`many/${n}`), n.repeat(10));
    fs.mkdirSync(P('many/dir'));
    const src = await aio.dirHandle(P('many'));
    const dst = await aio.dirHandle(P('many-copy'));
    const names = Buffer.from('x\0nope\0dir\0z\0');
    const b = await aio.copyfiles(src, dst, names, aio.CF_XATTRS);
    expect(b.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => b.outcome(i))).toEqual([aio.CF_COPIED, -os.constants.errno.ENOENT, -os.constants.errno.EISDIR, aio.CF_COPIED]);
    expect(b.size(0)).toBe(10);
    expect(b.mode(3) & 0o170000).toBe(0o100000);
    expect(b.nlink(0)).toBe(1);
    expect(b.ino(0)).toBe(fs.statSync(P('many/x')).ino);
    expect(fs.readFileSync(P('many-copy/z'), 'utf8')).toBe('zzzzzzzzzz');
    // the callback form; CF_UPDATE now skips both
    const again = await new Promise<number[]>((resolve, reject) =>
      aio.copyfiles(src, dst, Buffer.from('x\0z\0'), aio.CF_UPDATE, (err, r) => (err ? reject(err) : resolve([r!.outcome(0), r!.outcome(1)]))),
    );
    expect(again).toEqual([aio.CF_SKIPPED, aio.CF_SKIPPED]);
    expect(() => aio.copyfiles(src, dst, Buffer.from('x'))).toThrow(TypeError); // not NUL-ended
    expect(() => aio.copyfiles(P('many') as never, dst, names)).toThrow(TypeError);
    await Promise.all([src.close(), dst.close()]);
  });
});
