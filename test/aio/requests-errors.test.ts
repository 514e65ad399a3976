// Bad input (synchronous TypeErrors) and the errno errors of real calls.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, IoaioError } from '../../src/aio/index.js';
import { cbFails, isRoot, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'f.txt': 'file', d: { inner: 'i' } });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

/** Asserts fn throws a TypeError with this code at once (and submits nothing). */
function throwsType(fn: () => unknown, code = 'ERR_INVALID_ARG_TYPE'): TypeError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as { code?: string }).code).toBe(code);
  return thrown as TypeError;
}

describe('wrong argument types throw TypeError synchronously', () => {
  it('paths', () => {
    throwsType(() => aio.stat(42 as never));
    throwsType(() => aio.stat(undefined as never));
    throwsType(() => aio.lstat({} as never));
    throwsType(() => aio.unlink(null as never));
    throwsType(() => aio.open(['not a wd', 'x'] as never));
    throwsType(() => aio.rename(P('f.txt'), 7 as never));
    throwsType(() => aio.readdir(Symbol('x') as never, () => {}));
  });

  it('file descriptors and buffers', () => {
    throwsType(() => aio.read('x' as never, Buffer.alloc(1)));
    throwsType(() => aio.read(0, 'not a buffer' as never));
    throwsType(() => aio.write(0, [1, 2, 3] as never));
    throwsType(() => aio.close(-1));
    throwsType(() => aio.close(1.5));
    throwsType(() => aio.fstat('3' as never));
    throwsType(() => aio.fsync(2 ** 31));
  });

  it('numbers, flags, modes and times', () => {
    throwsType(() => aio.open(P('f.txt'), 'rw' as never));
    throwsType(() => aio.open(P('f.txt'), -1));
    throwsType(() => aio.open(P('f.txt'), 'r', 0o10000));
    throwsType(() => aio.seek(0, 0, 9));
    throwsType(() => aio.seek(0, 1.5, 0));
    throwsType(() => aio.truncate(P('f.txt'), -1));
    throwsType(() => aio.chmod(P('f.txt'), '644' as never));
    throwsType(() => aio.chown(P('f.txt'), -2, 0));
    throwsType(() => aio.utime(P('f.txt'), 'now' as never, 1));
    throwsType(() => aio.utime(P('f.txt'), {} as never, 1));
    throwsType(() => aio.futime(0, NaN, NaN));
    throwsType(() => aio.busy('1' as never));
    throwsType(() => aio.read(0, Buffer.alloc(1), -2));
    throwsType(() => aio.rename2(P('f.txt'), P('g'), 8));
  });

  it('nothing was done by a call that threw', () => {
    throwsType(() => aio.mkdir(P('never'), 'rwx' as never));
    throwsType(() => aio.truncate(P('f.txt'), '0' as never, () => {}));
    throwsType(() => aio.rename(P('f.txt'), { path: P('moved') } as never));
    expect(fs.existsSync(P('never'))).toBe(false);
    expect(fs.readFileSync(P('f.txt'), 'utf8')).toBe('file');
  });

  it('a NUL byte in a path is ERR_INVALID_ARG_VALUE, for strings and bytes', () => {
    const e = throwsType(() => aio.stat(`${root}/a\0b`), 'ERR_INVALID_ARG_VALUE');
    expect(e.message).toMatch(/null bytes/);
    throwsType(() => aio.open(Buffer.from('/tmp/a\0b'), 'r'), 'ERR_INVALID_ARG_VALUE');
    throwsType(() => aio.unlink(`x\0`, () => {}), 'ERR_INVALID_ARG_VALUE');
    throwsType(() => aio.rename(P('f.txt'), `${root}/y\0`), 'ERR_INVALID_ARG_VALUE');
    throwsType(() => aio.symlink('tar\0get', P('l')), 'ERR_INVALID_ARG_VALUE');
    expect(fs.existsSync(P('f.txt'))).toBe(true);
  });
});

describe('composite requests validate arguments like the others', () => {
  // docs/library.md "Errors": bad types throw a TypeError at once. The composites
  // (slurp, scandir, rmtree, move, pathsync) are async functions, so today
  // their argument errors arrive as rejections instead (and, in the callback
  // form, as an IoaioError ERR_IOAIO_COMPOSITE wrapping the TypeError).
  it('slurp/scandir/rmtree/move/pathsync throw TypeError synchronously for bad arguments', () => {
    const calls: [string, () => unknown][] = [
      ['slurp(42)', () => aio.slurp(42 as never)],
      ['slurp(p, 0, -1)', () => aio.slurp(P('f.txt'), 0, -1)],
      ['scandir(NUL)', () => aio.scandir(`${root}/a\0b`)],
      ['rmtree(42, cb)', () => aio.rmtree(42 as never, () => {})],
      ['move(p, 7)', () => aio.move(P('f.txt'), 7 as never)],
      ['pathsync(null)', () => aio.pathsync(null as never)],
    ];
    const notThrown: string[] = [];
    for (const [name, fn] of calls) {
      try {
        const r = fn();
        if (r instanceof Promise) r.catch(() => {});
        notThrown.push(name);
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
      }
    }
    expect(notThrown).toEqual([]);
    expect(fs.readFileSync(P('f.txt'), 'utf8')).toBe('file');
  });
});

describe('errno errors', () => {
  it('reading from a closed fd rejects EBADF', async () => {
    const fd = await aio.open(P('f.txt'));
    await aio.close(fd);
    const e = await rejectsWith(aio.read(fd, Buffer.alloc(4), 0), { code: 'EBADF', syscall: 'read' });
    expect(e.path).toBeUndefined();
    expect(e.message).toMatch(/^EBADF: .*, read$/);
    await cbFails((cb) => aio.read(fd, Buffer.alloc(4), null, cb), { code: 'EBADF', syscall: 'read' });
    await rejectsWith(aio.close(fd), { code: 'EBADF', syscall: 'close' });
  });

  it('ENOENT carries code, positive errno, syscall, path and a fs-like message', async () => {
    const e = await rejectsWith(aio.stat(P('absent')), { code: 'ENOENT', syscall: 'stat', path: P('absent') });
    expect(e.errno).toBe(2);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('IoaioError');
    expect(e.message).toBe(`ENOENT: no such file or directory, stat '${P('absent')}'`);
    expect(e.dest).toBeUndefined();
  });

  it('two-path errors carry dest and name both paths in the message', async () => {
    const e = await rejectsWith(aio.rename(P('absent'), P('other')), { code: 'ENOENT', syscall: 'rename', path: P('absent'), dest: P('other') });
    expect(e.message).toContain(`'${P('absent')}' -> '${P('other')}'`);
    await cbFails((cb) => aio.link(P('absent'), P('other'), cb), { code: 'ENOENT', path: P('absent'), dest: P('other') });
  });

  it('ENOTDIR when a path goes through a file', async () => {
    await rejectsWith(aio.stat(P('f.txt/child')), { code: 'ENOTDIR', syscall: 'stat', path: P('f.txt/child') });
    await rejectsWith(aio.open(P('f.txt/child'), 'w'), { code: 'ENOTDIR', syscall: 'open' });
    await cbFails((cb) => aio.mkdir(P('f.txt/sub'), 0o777, cb), { code: 'ENOTDIR', syscall: 'mkdir' });
  });

  it('ENAMETOOLONG for a 300-byte name', async () => {
    const long = P('n'.repeat(300));
    await rejectsWith(aio.stat(long), { code: 'ENAMETOOLONG', syscall: 'stat', path: long });
    await rejectsWith(aio.open(long, 'w'), { code: 'ENAMETOOLONG', syscall: 'open' });
    await cbFails((cb) => aio.mkdir(long, 0o777, cb), { code: 'ENAMETOOLONG', syscall: 'mkdir', path: long });
  });

  it('ELOOP for a symlink cycle', async () => {
    fs.symlinkSync('loop2', P('loop1'));
    fs.symlinkSync('loop1', P('loop2'));
    await rejectsWith(aio.stat(P('loop1')), { code: 'ELOOP', syscall: 'stat', path: P('loop1') });
    await cbFails((cb) => aio.realpath(P('loop1'), cb), { code: 'ELOOP', syscall: 'realpath' });
    expect((await aio.lstat(P('loop1'))).isSymbolicLink()).toBe(true);
  });

  it('EISDIR when opening a directory for writing', async () => {
    await rejectsWith(aio.open(P('d'), 'w'), { code: 'EISDIR', syscall: 'open', path: P('d') });
  });

  it.skipIf(isRoot)('EACCES on a file without permission (skipped as root: root bypasses permission checks)', async () => {
    fs.writeFileSync(P('secret'), 's');
    fs.chmodSync(P('secret'), 0o000);
    await rejectsWith(aio.open(P('secret'), 'r'), { code: 'EACCES', syscall: 'open', path: P('secret') });
    fs.chmodSync(P('d'), 0o000);
    try {
      await rejectsWith(aio.stat(P('d/inner')), { code: 'EACCES', syscall: 'stat' });
      await cbFails((cb) => aio.readdir(P('d'), cb), { code: 'EACCES', syscall: 'readdir' });
    } finally {
      fs.chmodSync(P('d'), 0o755);
    }
  });

  it.skipIf(!isRoot)('as root, EPERM/EACCES do not arise for mode 000 files', async () => {
    fs.writeFileSync(P('secret0'), 's');
    fs.chmodSync(P('secret0'), 0o000);
    const fd = await aio.open(P('secret0'), 'r');
    const b = Buffer.alloc(1);
    expect(await aio.read(fd, b, 0)).toBe(1);
    await aio.close(fd);
  });

  it('errors are IoaioError instances in the callback form, with value undefined', async () => {
    const e = await cbFails((cb) => aio.stat(P('nope'), cb), { code: 'ENOENT', syscall: 'stat', path: P('nope') });
    expect(e).toBeInstanceOf(IoaioError);
  });
});
