// stat, lstat, fstat, statvfs, fstatvfs compared with node:fs and stat(1).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, Stats, StatVfs } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({
  'file.txt': 'some bytes here',
  dir: { inner: 'x' },
  'link-to-file': { symlink: 'file.txt' },
  'link-to-dir': { symlink: 'dir' },
  dangling: { symlink: 'nowhere' },
});
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

/** Every field we can compare exactly with fs's bigint stats. */
function sameAsFs(st: Stats, f: fs.BigIntStats): void {
  expect(st).toBeInstanceOf(Stats);
  expect(st.dev).toBe(Number(f.dev));
  expect(st.ino).toBe(Number(f.ino));
  expect(st.mode).toBe(Number(f.mode));
  expect(st.nlink).toBe(Number(f.nlink));
  expect(st.uid).toBe(Number(f.uid));
  expect(st.gid).toBe(Number(f.gid));
  expect(st.rdev).toBe(Number(f.rdev));
  expect(st.size).toBe(Number(f.size));
  expect(st.blksize).toBe(Number(f.blksize));
  expect(st.blocks).toBe(Number(f.blocks));
  expect(st.mtimeSec).toBe(Number(f.mtimeNs / 1_000_000_000n));
  expect(st.mtimeNsec).toBe(Number(f.mtimeNs % 1_000_000_000n));
  expect(st.mtimeNs).toBe(f.mtimeNs);
  expect(st.ctimeNs).toBe(f.ctimeNs);
  expect(st.atimeNs).toBe(f.atimeNs);
  expect(st.mtime.getTime()).toBe(Math.floor(Number(f.mtimeNs / 1_000_000n)));
}

describe('stat / lstat / fstat', () => {
  it('stat of a file equals fs.lstatSync (bigint), field by field', async () => {
    // A nanosecond mtime that is not a whole microsecond, to see nsec survive.
    fs.utimesSync(P('file.txt'), 1_600_000_000.5, 1_600_000_000.123457);
    const st = await aio.stat(P('file.txt'));
    sameAsFs(st, fs.lstatSync(P('file.txt'), { bigint: true }));
    expect(st.size).toBe(15);
    expect(st.isFile()).toBe(true);
    expect(st.isDirectory()).toBe(false);
    expect(st.isSymbolicLink()).toBe(false);
  });

  it('stat of a directory', async () => {
    const st = await aio.stat(P('dir'));
    sameAsFs(st, fs.lstatSync(P('dir'), { bigint: true }));
    expect(st.isDirectory()).toBe(true);
    expect(st.isFile()).toBe(false);
  });

  it('lstat describes a symlink itself, stat its target', async () => {
    const l = await aio.lstat(P('link-to-file'));
    sameAsFs(l, fs.lstatSync(P('link-to-file'), { bigint: true }));
    expect(l.isSymbolicLink()).toBe(true);
    expect(l.size).toBe('file.txt'.length);
    const s = await aio.stat(P('link-to-file'));
    expect(s.isSymbolicLink()).toBe(false);
    expect(s.isFile()).toBe(true);
    expect(s.ino).toBe(fs.statSync(P('file.txt')).ino);
    expect((await aio.stat(P('link-to-dir'))).isDirectory()).toBe(true);
    expect((await aio.lstat(P('link-to-dir'))).isDirectory()).toBe(false);
  });

  it('a dangling symlink: lstat works, stat fails ENOENT', async () => {
    expect((await aio.lstat(P('dangling'))).isSymbolicLink()).toBe(true);
    await rejectsWith(aio.stat(P('dangling')), { code: 'ENOENT', syscall: 'stat', path: P('dangling') });
  });

  it('fstat equals fs.fstatSync of the same fd', async () => {
    const fd = await aio.open(P('file.txt'));
    const st = await aio.fstat(fd);
    sameAsFs(st, fs.fstatSync(fd, { bigint: true }));
    await aio.close(fd);
    await rejectsWith(aio.fstat(fd), { code: 'EBADF', syscall: 'fstat' });
  });

  it('callback forms of stat, lstat and fstat', async () => {
    const st = await cbOk<Stats>((cb) => aio.stat(P('dir'), cb));
    expect(st.ino).toBe(fs.statSync(P('dir')).ino);
    const l = await cbOk<Stats>((cb) => aio.lstat(P('link-to-dir'), cb));
    expect(l.isSymbolicLink()).toBe(true);
    const fd = fs.openSync(P('file.txt'), 'r');
    try {
      const f = await cbOk<Stats>((cb) => aio.fstat(fd, cb));
      expect(f.ino).toBe(fs.statSync(P('file.txt')).ino);
    } finally {
      fs.closeSync(fd);
    }
    await cbFails((cb) => aio.lstat(P('nope'), cb), { code: 'ENOENT', syscall: 'lstat', path: P('nope') });
  });

  it('birth time agrees with node:fs where the kernel reports one', async () => {
    const p = P('born.txt');
    fs.writeFileSync(p, '');
    const f = fs.statSync(p, { bigint: true });
    const st = await aio.stat(p);
    if (f.birthtimeNs > 0n) {
      expect(st.hasBirthtime).toBe(true);
      expect(st.birthtimeSec).toBe(Number(f.birthtimeNs / 1_000_000_000n));
      expect(st.birthtimeNsec).toBe(Number(f.birthtimeNs % 1_000_000_000n));
      expect(st.birthtime).toBeInstanceOf(Date);
    } else {
      expect(st.hasBirthtime).toBe(false);
      expect(st.birthtimeSec).toBe(-1);
      expect(st.birthtime).toBeUndefined();
    }
  });

  it('the stats of a FIFO say so', async () => {
    const p = P('stat.fifo');
    await aio.mknod(p, fs.constants.S_IFIFO | 0o600);
    const st = await aio.lstat(p);
    expect(st.isFIFO()).toBe(true);
    expect(st.isFile()).toBe(false);
    sameAsFs(st, fs.lstatSync(p, { bigint: true }));
  });
});

describe('statvfs / fstatvfs', () => {
  const [frsize, namemax] = execFileSync('stat', ['-f', '-c', '%S %l', root], { encoding: 'utf8' }).trim().split(' ').map(Number);
  const sfs = fs.statfsSync(root);

  function sameAsSystem(v: StatVfs): void {
    expect(v).toBeInstanceOf(StatVfs);
    expect(v.frsize).toBe(frsize);
    expect(v.namemax).toBe(namemax);
    expect(v.bsize).toBe(sfs.bsize);
    expect(v.blocks).toBe(sfs.blocks);
    expect(v.files).toBe(sfs.files);
    expect(v.bfree).toBeGreaterThanOrEqual(v.bavail);
  }

  it('statvfs matches stat -f and fs.statfsSync', async () => {
    sameAsSystem(await aio.statvfs(root));
    sameAsSystem(await cbOk<StatVfs>((cb) => aio.statvfs(P('file.txt'), cb)));
    await rejectsWith(aio.statvfs(P('nope')), { code: 'ENOENT', syscall: 'statvfs', path: P('nope') });
  });

  it('fstatvfs matches too, in both forms', async () => {
    const fd = await aio.open(P('file.txt'));
    sameAsSystem(await aio.fstatvfs(fd));
    sameAsSystem(await cbOk<StatVfs>((cb) => aio.fstatvfs(fd, cb)));
    await aio.close(fd);
    await cbFails((cb) => aio.fstatvfs(fd, cb), { code: 'EBADF', syscall: 'fstatvfs' });
  });
});
