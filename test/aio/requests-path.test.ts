// unlink, mknod, link, symlink, readlink, realpath, rename, rename2, mkdir,
// rmdir, and paths given as raw bytes.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { cbFails, cbOk, currentUmask, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'f.txt': 'file', sub: { 'g.txt': 'gee' } });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

describe('unlink / mknod', () => {
  it('unlink removes a file (both forms); a directory gives EISDIR', async () => {
    fs.writeFileSync(P('u1'), '1');
    fs.writeFileSync(P('u2'), '2');
    expect(await aio.unlink(P('u1'))).toBeUndefined();
    expect(fs.existsSync(P('u1'))).toBe(false);
    await cbOk<void>((cb) => aio.unlink(P('u2'), cb));
    expect(fs.existsSync(P('u2'))).toBe(false);
    await rejectsWith(aio.unlink(P('u2')), { code: 'ENOENT', syscall: 'unlink', path: P('u2') });
    await cbFails((cb) => aio.unlink(P('sub'), cb), { code: 'EISDIR', syscall: 'unlink', path: P('sub') });
  });

  it('mknod makes a FIFO with the given permissions', async () => {
    const p = P('pipe');
    await aio.mknod(p, fs.constants.S_IFIFO | 0o644);
    const st = fs.lstatSync(p);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o644 & ~currentUmask());
    await cbOk<void>((cb) => aio.mknod(P('pipe2'), fs.constants.S_IFIFO | 0o600, 0, cb));
    expect(fs.lstatSync(P('pipe2')).isFIFO()).toBe(true);
    await cbFails((cb) => aio.mknod(p, fs.constants.S_IFIFO | 0o644, 0, cb), { code: 'EEXIST', syscall: 'mknod', path: p });
  });

  it.skipIf(process.getuid?.() !== 0)('as root, mknod makes a character device with the given dev', async () => {
    const p = P('null-dev');
    await aio.mknod(p, fs.constants.S_IFCHR | 0o600, (1 << 8) | 3);
    const st = fs.lstatSync(p);
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe((1 << 8) | 3);
    expect((await aio.lstat(p)).rdev).toBe(st.rdev);
  });
});

describe('link / symlink / readlink / realpath', () => {
  it('link makes a second name: same inode, nlink 2', async () => {
    fs.writeFileSync(P('orig'), 'shared');
    await aio.link(P('orig'), P('hard'));
    const a = fs.statSync(P('orig'));
    expect(fs.statSync(P('hard')).ino).toBe(a.ino);
    expect(a.nlink).toBe(2);
    expect((await aio.stat(P('hard'))).nlink).toBe(2);
    await cbOk<void>((cb) => aio.link(P('orig'), P('hard2'), cb));
    expect(fs.statSync(P('orig')).nlink).toBe(3);
    await rejectsWith(aio.link(P('orig'), P('hard')), { code: 'EEXIST', syscall: 'link', path: P('orig'), dest: P('hard') });
    await cbFails((cb) => aio.link(P('none'), P('h3'), cb), { code: 'ENOENT', syscall: 'link', path: P('none'), dest: P('h3') });
  });

  it('symlink stores the target verbatim (relative or absolute)', async () => {
    await aio.symlink('f.txt', P('rel-link'));
    expect(fs.readlinkSync(P('rel-link'))).toBe('f.txt');
    expect(fs.readFileSync(P('rel-link'), 'utf8')).toBe('file');
    await cbOk<void>((cb) => aio.symlink('/no/such/target', P('abs-link'), cb));
    expect(fs.readlinkSync(P('abs-link'))).toBe('/no/such/target');
    await rejectsWith(aio.symlink('x', P('rel-link')), { code: 'EEXIST', syscall: 'symlink' });
  });

  it('readlink returns the target as a string or, with encoding buffer, as bytes', async () => {
    fs.symlinkSync('sub/g.txt', P('rl'));
    expect(await aio.readlink(P('rl'))).toBe('sub/g.txt');
    const raw = Buffer.from([0x74, 0xfe, 0x2f, 0x78]); // not UTF-8
    fs.symlinkSync(raw, P('rl-raw'));
    const got = await aio.readlink(P('rl-raw'), { encoding: 'buffer' });
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got).toEqual(raw);
    const viaCb = await cbOk<string | Buffer>((cb) => aio.readlink(P('rl'), { encoding: 'buffer' }, cb));
    expect(viaCb).toEqual(Buffer.from('sub/g.txt'));
    await rejectsWith(aio.readlink(P('f.txt')), { code: 'EINVAL', syscall: 'readlink', path: P('f.txt') });
    await cbFails((cb) => aio.readlink(P('nope'), cb), { code: 'ENOENT', syscall: 'readlink' });
  });

  it('readlink of a long target (4000 bytes)', async () => {
    const target = 'a/'.repeat(1999) + 'zz';
    fs.symlinkSync(target, P('long-link'));
    expect(await aio.readlink(P('long-link'))).toBe(target);
  });

  it('realpath resolves symlinks, . and ..', async () => {
    const real = fs.realpathSync(root);
    fs.symlinkSync('sub', P('to-sub'));
    expect(await aio.realpath(`${root}/to-sub/../sub/./g.txt`)).toBe(`${real}/sub/g.txt`);
    expect(await aio.realpath(P('to-sub'))).toBe(fs.realpathSync(P('to-sub')));
    const b = await cbOk<string | Buffer>((cb) => aio.realpath(P('to-sub'), { encoding: 'buffer' }, cb));
    expect(b).toEqual(Buffer.from(`${real}/sub`));
    await rejectsWith(aio.realpath(P('sub/missing')), { code: 'ENOENT', syscall: 'realpath' });
    expect(await aio.realpath('.')).toBe(fs.realpathSync(process.cwd()));
  });
});

describe('rename / rename2', () => {
  it('rename moves a file and replaces an existing destination', async () => {
    fs.writeFileSync(P('r1'), 'one');
    fs.writeFileSync(P('r2'), 'two');
    await aio.rename(P('r1'), P('r2'));
    expect(fs.existsSync(P('r1'))).toBe(false);
    expect(fs.readFileSync(P('r2'), 'utf8')).toBe('one');
    await cbOk<void>((cb) => aio.rename(P('r2'), P('sub/r3'), cb));
    expect(fs.readFileSync(P('sub/r3'), 'utf8')).toBe('one');
    await rejectsWith(aio.rename(P('r1'), P('r9')), { code: 'ENOENT', syscall: 'rename', path: P('r1'), dest: P('r9') });
  });

  it('RENAME_NOREPLACE (1) fails EEXIST and leaves both files', async () => {
    fs.writeFileSync(P('n1'), 'one');
    fs.writeFileSync(P('n2'), 'two');
    await rejectsWith(aio.rename2(P('n1'), P('n2'), 1), { code: 'EEXIST', syscall: 'rename2', path: P('n1'), dest: P('n2') });
    expect(fs.readFileSync(P('n1'), 'utf8')).toBe('one');
    expect(fs.readFileSync(P('n2'), 'utf8')).toBe('two');
    await cbOk<void>((cb) => aio.rename2(P('n1'), P('n3'), 1, cb));
    expect(fs.readFileSync(P('n3'), 'utf8')).toBe('one');
  });

  it('RENAME_EXCHANGE (2) swaps two files', async () => {
    fs.writeFileSync(P('x1'), 'first');
    fs.writeFileSync(P('x2'), 'second');
    await aio.rename2(P('x1'), P('x2'), 2);
    expect(fs.readFileSync(P('x1'), 'utf8')).toBe('second');
    expect(fs.readFileSync(P('x2'), 'utf8')).toBe('first');
    await cbFails((cb) => aio.rename2(P('x1'), P('x-missing'), 2, cb), { code: 'ENOENT', syscall: 'rename2' });
  });
});

describe('mkdir / rmdir', () => {
  it('mkdir creates a directory with mode (minus umask)', async () => {
    await aio.mkdir(P('d1'));
    expect(fs.statSync(P('d1')).isDirectory()).toBe(true);
    expect(fs.statSync(P('d1')).mode & 0o777).toBe(0o777 & ~currentUmask());
    await cbOk<void>((cb) => aio.mkdir(P('d2'), 0o700, cb));
    expect(fs.statSync(P('d2')).mode & 0o777).toBe(0o700);
    await rejectsWith(aio.mkdir(P('d1')), { code: 'EEXIST', syscall: 'mkdir', path: P('d1') });
    await cbFails((cb) => aio.mkdir(P('no/such/parent'), 0o777, cb), { code: 'ENOENT', syscall: 'mkdir' });
  });

  it('rmdir removes an empty directory; ENOTEMPTY otherwise; ENOTDIR for a file', async () => {
    fs.mkdirSync(P('e1'));
    fs.mkdirSync(P('e2'));
    await aio.rmdir(P('e1'));
    expect(fs.existsSync(P('e1'))).toBe(false);
    await cbOk<void>((cb) => aio.rmdir(P('e2'), cb));
    expect(fs.existsSync(P('e2'))).toBe(false);
    await rejectsWith(aio.rmdir(P('sub')), { code: 'ENOTEMPTY', syscall: 'rmdir', path: P('sub') });
    expect(fs.existsSync(P('sub/g.txt'))).toBe(true);
    await cbFails((cb) => aio.rmdir(P('f.txt'), cb), { code: 'ENOTDIR', syscall: 'rmdir' });
  });
});

describe('paths as raw bytes', () => {
  const name = Buffer.from([0x62, 0xff, 0xfe, 0x6e]); // "b\xff\xfen", not UTF-8
  const full = Buffer.concat([Buffer.from(`${root}/`), name]);

  it('open creates, stat sees, unlink removes a non-UTF-8 name', async () => {
    const fd = await aio.open(full, 'w');
    await aio.write(fd, Buffer.from('bytes'), 0);
    await aio.close(fd);
    const names = fs.readdirSync(root, { encoding: 'buffer' });
    expect(names.some((n) => n.equals(name))).toBe(true);
    expect((await aio.stat(full)).size).toBe(5);
    expect(fs.readFileSync(full, 'utf8')).toBe('bytes');
    const st = await cbOk<{ ino: number }>((cb) => aio.lstat(full, cb));
    expect(st.ino).toBe(fs.statSync(full).ino);
    await aio.unlink(full);
    expect(fs.existsSync(full)).toBe(false);
    const e = await rejectsWith(aio.stat(full), { code: 'ENOENT', syscall: 'stat' });
    expect(e.path).toContain(`${root}/b`);
  });

  it('a Uint8Array subarray path means exactly its bytes', async () => {
    fs.writeFileSync(P('sliced'), 'x');
    const padded = Buffer.from(`XX${root}/slicedYY`);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, padded.length - 4);
    expect((await aio.stat(view)).size).toBe(1);
  });
});
