// copy (a native request), and the composites: move, rmtree, scandir, slurp, pathsync.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, Group, type RmtreeResult, type ScandirResult } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'src.bin': Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff)), 'ten.txt': '0123456789' });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

describe('copy', () => {
  it('copies content, mode and mtime (to the nanosecond)', async () => {
    fs.chmodSync(P('src.bin'), 0o754);
    fs.utimesSync(P('src.bin'), 1_111_111_111.5, 1_222_222_222.123457);
    await aio.copy(P('src.bin'), P('dst.bin'));
    expect(fs.readFileSync(P('dst.bin'))).toEqual(fs.readFileSync(P('src.bin')));
    const s = fs.statSync(P('src.bin'), { bigint: true });
    const d = fs.statSync(P('dst.bin'), { bigint: true });
    expect(d.mode).toBe(s.mode);
    expect(d.mtimeNs).toBe(s.mtimeNs);
    expect(d.ino).not.toBe(s.ino);
  });

  it.skipIf(process.getuid?.() !== 0)('as root, copy keeps owner and set-id bits (chown before chmod)', async () => {
    fs.writeFileSync(P('owned'), 'o');
    fs.chownSync(P('owned'), 1234, 5678);
    fs.chmodSync(P('owned'), 0o6755);
    await aio.copy(P('owned'), P('owned.copy'));
    const d = fs.statSync(P('owned.copy'));
    expect(d).toMatchObject({ uid: 1234, gid: 5678 });
    expect(d.mode & 0o7777).toBe(0o6755);
  });

  it('replaces an existing dst; with exclusive=true fails EEXIST and keeps dst', async () => {
    fs.writeFileSync(P('old.txt'), 'old contents, longer than ten');
    await cbOk<void>((cb) => aio.copy(P('ten.txt'), P('old.txt'), false, cb));
    expect(fs.readFileSync(P('old.txt'), 'utf8')).toBe('0123456789');
    fs.writeFileSync(P('keep.txt'), 'keep me');
    await rejectsWith(aio.copy(P('ten.txt'), P('keep.txt'), true), { code: 'EEXIST', syscall: 'copy', path: P('ten.txt'), dest: P('keep.txt') });
    await cbFails((cb) => aio.copy(P('ten.txt'), P('keep.txt'), true, cb), { code: 'EEXIST', dest: P('keep.txt') });
    expect(fs.readFileSync(P('keep.txt'), 'utf8')).toBe('keep me');
    await aio.copy(P('ten.txt'), P('fresh.txt'), true);
    expect(fs.readFileSync(P('fresh.txt'), 'utf8')).toBe('0123456789');
  });

  it('copies an empty file and a 2 MiB file', async () => {
    fs.writeFileSync(P('empty'), '');
    await aio.copy(P('empty'), P('empty.copy'));
    expect(fs.statSync(P('empty.copy')).size).toBe(0);
    const big = Buffer.alloc(2 << 20);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    fs.writeFileSync(P('big'), big);
    await aio.copy(P('big'), P('big.copy'));
    expect(fs.readFileSync(P('big.copy')).equals(big)).toBe(true);
  });

  it('copying a directory fails EISDIR and creates nothing', async () => {
    fs.mkdirSync(P('adir'));
    await rejectsWith(aio.copy(P('adir'), P('adir.copy')), { code: 'EISDIR', syscall: 'copy', path: P('adir') });
    expect(fs.existsSync(P('adir.copy'))).toBe(false);
    await rejectsWith(aio.copy(P('missing'), P('m.copy')), { code: 'ENOENT', path: P('missing'), dest: P('m.copy') });
    await rejectsWith(aio.copy(P('ten.txt'), P('no/dir/x')), { code: 'ENOENT', dest: P('no/dir/x') });
  });

  // cp refuses ("are the same file"); opening dst with O_TRUNC first empties
  // the source when both names are one file.
  it('copying a file onto itself (same name or a hard link) does not destroy it', async () => {
    fs.writeFileSync(P('self.txt'), 'precious');
    await aio.copy(P('self.txt'), P('self.txt')).catch(() => {});
    expect(fs.readFileSync(P('self.txt'), 'utf8')).toBe('precious');
    fs.writeFileSync(P('self2.txt'), 'precious');
    fs.linkSync(P('self2.txt'), P('self2.link'));
    await aio.copy(P('self2.txt'), P('self2.link')).catch(() => {});
    expect(fs.readFileSync(P('self2.txt'), 'utf8')).toBe('precious');
  });

  it('a copy that fails while reading (EIO from /proc/self/mem) leaves no partial dst', async () => {
    await rejectsWith(aio.copy('/proc/self/mem', P('partial')), { code: 'EIO', syscall: 'copy' });
    expect(fs.existsSync(P('partial'))).toBe(false);
  });
});

describe('move', () => {
  it('renames within a filesystem (same inode), in both forms', async () => {
    fs.writeFileSync(P('mv1'), 'moving');
    const ino = fs.statSync(P('mv1')).ino;
    await aio.move(P('mv1'), P('mv2'));
    expect(fs.existsSync(P('mv1'))).toBe(false);
    expect(fs.statSync(P('mv2')).ino).toBe(ino);
    const g = await cbOk<unknown>((cb) => aio.move(P('mv2'), P('mv3'), cb));
    expect(g).toMatchObject({ renamed: 1, files: 0, failed: [] });
    expect(fs.readFileSync(P('mv3'), 'utf8')).toBe('moving');
    await rejectsWith(aio.move(P('mv1'), P('mv4')), { code: 'ENOENT', syscall: 'rename', path: P('mv1') });
  });

  const shm = '/dev/shm';
  const otherFs = fs.existsSync(shm) && fs.statSync(shm).dev !== fs.statSync(root).dev;
  it.skipIf(!otherFs)('across filesystems (EXDEV) copies then unlinks the source', async () => {
    fs.writeFileSync(P('xdev'), 'across');
    fs.utimesSync(P('xdev'), 1000, 2000);
    const dst = `${shm}/ioaio-move-${process.pid}`;
    try {
      await aio.move(P('xdev'), dst);
      expect(fs.existsSync(P('xdev'))).toBe(false);
      expect(fs.readFileSync(dst, 'utf8')).toBe('across');
      expect(fs.statSync(dst).mtimeMs).toBe(2_000_000);
    } finally {
      fs.rmSync(dst, { force: true });
    }
  });
});

describe('rmtree', () => {
  it('removes a nested tree of files, symlinks and empty directories', async () => {
    const t = makeTree({
      f: 'x',
      a: { b: { c: { deep: 'y' }, empty: {} }, 'ln-out': { symlink: '/etc' }, 'ln-up': { symlink: '..' } },
      e1: {},
      'ln-dangling': { symlink: 'nowhere' },
    });
    fs.writeFileSync(`${root}/outside-ref`, 'must survive');
    fs.symlinkSync(`${root}/outside-ref`, `${t}/a/b/ln-abs`);
    await aio.rmtree(t);
    expect(fs.existsSync(t)).toBe(false);
    expect(fs.readFileSync(`${root}/outside-ref`, 'utf8')).toBe('must survive');
    expect(fs.existsSync('/etc/hostname') || fs.existsSync('/etc/passwd')).toBe(true);
  });

  it('callback form returns a Group and removes the tree', async () => {
    const t = makeTree({ x: { y: { z: 'z' } } });
    let handle: unknown;
    await cbOk<RmtreeResult>((cb) => (handle = aio.rmtree(t, cb)));
    expect(handle).toBeInstanceOf(Group);
    expect(fs.existsSync(t)).toBe(false);
  });

  // rm -r on a symlink removes the link only. rmtree must at least never
  // delete what the link points to.
  it('rmtree on a symlink to a directory leaves the target directory and its files alone', async () => {
    const t = makeTree({ target: { keep: 'k', sub: { keep2: 'k2' } }, link: { symlink: 'target' } });
    try {
      await aio.rmtree(`${t}/link`).catch(() => {});
      expect(fs.readdirSync(`${t}/target`).sort()).toEqual(['keep', 'sub']);
      expect(fs.readFileSync(`${t}/target/sub/keep2`, 'utf8')).toBe('k2');
    } finally {
      removeTree(t);
    }
  });

  it('a missing path rejects ENOENT naming the path', async () => {
    await rejectsWith(aio.rmtree(P('no-such-tree')), { code: 'ENOENT', path: P('no-such-tree') });
    await cbFails((cb) => aio.rmtree(P('no-such-tree'), cb), { code: 'ENOENT', path: P('no-such-tree') });
  });
});

describe('scandir', () => {
  it('splits directories from the rest; a symlink to a directory is a nondir', async () => {
    const t = makeTree({ d1: {}, d2: { inner: 'i' }, f1: 'f', 'ln-d': { symlink: 'd1' }, 'ln-f': { symlink: 'f1' } });
    try {
      const r = (await aio.scandir(t)) as ScandirResult;
      expect([...r.dirs].sort()).toEqual(['d1', 'd2']);
      expect([...r.nondirs].sort()).toEqual(['f1', 'ln-d', 'ln-f']);
      const c = await cbOk<ScandirResult<string | Buffer>>((cb) => aio.scandir(`${t}/d2`, 4, cb));
      expect(c).toEqual({ dirs: [], nondirs: ['inner'] });
      // IO::AIO: "If it is <= 0, then a suitable default will be chosen"
      for (const maxreq of [0, -1]) expect([...((await aio.scandir(t, maxreq)) as ScandirResult).dirs].sort()).toEqual(['d1', 'd2']);
      expect(() => aio.scandir(t, 1.5)).toThrow(TypeError);
      await rejectsWith(aio.scandir(`${t}/f1`), { code: 'ENOTDIR', path: `${t}/f1` });
    } finally {
      removeTree(t);
    }
  });
});

describe('slurp', () => {
  it('offset/length, negative offset, and length 0 meaning to the end', async () => {
    expect((await aio.slurp(P('ten.txt'))).toString()).toBe('0123456789');
    expect((await aio.slurp(P('ten.txt'), 2, 3)).toString()).toBe('234');
    expect((await aio.slurp(P('ten.txt'), -4)).toString()).toBe('6789');
    expect((await aio.slurp(P('ten.txt'), -4, 2)).toString()).toBe('67');
    expect((await aio.slurp(P('ten.txt'), 7, 0)).toString()).toBe('789');
    expect((await aio.slurp(P('ten.txt'), -100)).toString()).toBe('0123456789');
    expect((await aio.slurp(P('ten.txt'), 8, 50)).toString()).toBe('89'); // short at EOF
    const b = await cbOk<Buffer>((cb) => aio.slurp(P('ten.txt'), 1, 2, cb));
    expect(b.toString()).toBe('12');
  });

  it('reads a file larger than one read, and fails ENOENT for a missing one', async () => {
    const buf = Buffer.alloc(3 << 20, 7);
    buf[buf.length - 1] = 9;
    fs.writeFileSync(P('big.slurp'), buf);
    expect((await aio.slurp(P('big.slurp'))).equals(buf)).toBe(true);
    await rejectsWith(aio.slurp(P('gone')), { code: 'ENOENT', syscall: 'open', path: P('gone') });
  });
});

describe('pathsync', () => {
  it('fsyncs a file and a directory; ENOENT for a missing path', async () => {
    expect(await aio.pathsync(P('ten.txt'))).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.pathsync(root, cb))).toBeUndefined();
    await rejectsWith(aio.pathsync(P('nope')), { code: 'ENOENT', path: P('nope') });
  });
});
