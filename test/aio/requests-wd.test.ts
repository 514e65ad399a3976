// Working-directory handles: aio.wd(dir) and [wd, 'relative'] paths.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, IoaioError, Wd, type ScandirResult } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ base: { 'name.txt': 'relative!', sub: { deep: 'd' }, 'ln': { symlink: 'name.txt' } }, 'plain.txt': 'p' });
const B = `${root}/base`;
afterAll(() => removeTree(root));

describe('wd handles', () => {
  it('a handle alone is [wd, "."], as in IO::AIO: lstat, readdir and a closed handle', async () => {
    const wd = await aio.wd(B);
    const st = await aio.lstat(wd);
    expect([st.ino, st.isDirectory()]).toEqual([fs.statSync(B).ino, true]);
    expect(((await aio.readdir(wd)) as string[]).sort()).toEqual(['ln', 'name.txt', 'sub']);
    expect(await aio.realpath(wd)).toBe(fs.realpathSync(B));
    await wd.close();
    expect(() => aio.lstat(wd)).toThrow(expect.objectContaining({ code: 'EBADF' })); // synchronously, as with [wd, path]
  });

  it('aio.CWD stands for the working directory: [CWD, name] is name, and close() leaves it usable', async () => {
    const before = process.cwd();
    process.chdir(B);
    try {
      expect((await aio.stat([aio.CWD, 'name.txt'])).ino).toBe(fs.statSync(`${B}/name.txt`).ino);
      expect((await aio.stat(aio.CWD)).ino).toBe(fs.statSync(B).ino);
      await aio.CWD.close();
      expect(((await aio.readdir([aio.CWD, 'sub'])) as string[])).toEqual(['deep']);
      await expect(aio.stat([aio.CWD, 'missing'])).rejects.toMatchObject({ code: 'ENOENT', path: 'missing' });
    } finally {
      process.chdir(before);
    }
  });

  it('aio.wd opens a handle; stat/lstat/readdir/load/readlink relative to it', async () => {
    const wd = await aio.wd(B);
    expect(wd).toBeInstanceOf(Wd);
    expect(wd.closed).toBe(false);
    try {
      const st = await aio.stat([wd, 'name.txt']);
      expect(st.ino).toBe(fs.statSync(`${B}/name.txt`).ino);
      expect((await aio.lstat([wd, 'ln'])).isSymbolicLink()).toBe(true);
      expect((await aio.readdir([wd, 'sub'])) as string[]).toEqual(['deep']);
      expect(((await aio.readdir([wd, '.'])) as string[]).sort()).toEqual(['ln', 'name.txt', 'sub']);
      expect((await aio.load([wd, 'sub/deep'])).toString()).toBe('d');
      expect(await aio.readlink([wd, 'ln'])).toBe('name.txt');
      expect(await aio.realpath([wd, 'ln'])).toBe(fs.realpathSync(`${B}/name.txt`));
      const viaCb = await cbOk<{ size: number }>((cb) => aio.stat([wd, 'name.txt'], cb));
      expect(viaCb.size).toBe(9);
    } finally {
      await wd.close();
    }
    expect(wd.closed).toBe(true);
  });

  it('open, mkdir, rename, unlink, symlink, utime, chmod relative to a wd', async () => {
    const wd = await aio.wd(B);
    try {
      const fd = await aio.open([wd, 'made.txt'], 'wx', 0o600);
      await aio.write(fd, Buffer.from('via wd'), 0);
      await aio.close(fd);
      expect(fs.readFileSync(`${B}/made.txt`, 'utf8')).toBe('via wd');
      await aio.mkdir([wd, 'newdir']);
      expect(fs.statSync(`${B}/newdir`).isDirectory()).toBe(true);
      await aio.rename([wd, 'made.txt'], [wd, 'newdir/moved.txt']);
      expect(fs.readFileSync(`${B}/newdir/moved.txt`, 'utf8')).toBe('via wd');
      await aio.rename([wd, 'newdir/moved.txt'], `${root}/out.txt`); // wd to plain path
      expect(fs.existsSync(`${root}/out.txt`)).toBe(true);
      await aio.symlink('sub', [wd, 'to-sub']);
      expect(fs.readlinkSync(`${B}/to-sub`)).toBe('sub');
      await aio.utime([wd, 'name.txt'], 100, 200);
      expect(fs.statSync(`${B}/name.txt`).mtimeMs).toBe(200_000);
      await aio.chmod([wd, 'name.txt'], 0o640);
      expect(fs.statSync(`${B}/name.txt`).mode & 0o777).toBe(0o640);
      await cbOk<void>((cb) => aio.unlink([wd, 'to-sub'], cb));
      expect(fs.existsSync(`${B}/to-sub`)).toBe(false);
      await aio.rmdir([wd, 'newdir']);
      expect(fs.existsSync(`${B}/newdir`)).toBe(false);
      await aio.copy([wd, 'name.txt'], [wd, 'copied.txt']);
      expect(fs.readFileSync(`${B}/copied.txt`, 'utf8')).toBe('relative!');
      await aio.unlink([wd, 'copied.txt']);
    } finally {
      await wd.close();
    }
  });

  it('errors through a wd name the joined path', async () => {
    const wd = await aio.wd(B);
    try {
      await rejectsWith(aio.stat([wd, 'missing']), { code: 'ENOENT', syscall: 'stat', path: `${B}/missing` });
      await cbFails((cb) => aio.unlink([wd, 'missing'], cb), { code: 'ENOENT', syscall: 'unlink', path: `${B}/missing` });
    } finally {
      await wd.close();
    }
  });

  it('a wd keeps working after its directory is renamed', async () => {
    const dir = makeTree({ 'f.txt': 'moved along' });
    const wd = await aio.wd(dir);
    try {
      fs.renameSync(dir, `${dir}-renamed`);
      expect((await aio.load([wd, 'f.txt'])).toString()).toBe('moved along');
    } finally {
      await wd.close();
      removeTree(`${dir}-renamed`);
    }
  });

  it('composites accept [wd, path]: slurp, scandir, rmtree', async () => {
    const wd = await aio.wd(B);
    try {
      expect((await aio.slurp([wd, 'name.txt'], 0, 8)).toString()).toBe('relative');
      const s = (await aio.scandir([wd, '.'])) as ScandirResult;
      expect(s.dirs).toEqual(['sub']);
      fs.mkdirSync(`${B}/tree/a/b`, { recursive: true });
      fs.writeFileSync(`${B}/tree/a/b/f`, 'x');
      await aio.rmtree([wd, 'tree']);
      expect(fs.existsSync(`${B}/tree`)).toBe(false);
    } finally {
      await wd.close();
    }
  });

  it('aio.wd of a missing directory or a file fails (both forms)', async () => {
    await rejectsWith(aio.wd(`${root}/nope`), { code: 'ENOENT', syscall: 'wd_open', path: `${root}/nope` });
    await cbFails((cb) => aio.wd(`${root}/plain.txt`, cb), { code: 'ENOTDIR', syscall: 'wd_open' });
    const wd = await cbOk<Wd>((cb) => aio.wd(B, cb));
    expect(wd).toBeInstanceOf(Wd);
    await wd.close();
  });

  it('using a closed wd throws synchronously (EBADF); close is idempotent', async () => {
    const wd = await aio.wd(B);
    await wd.close();
    await wd.close();
    let thrown: unknown;
    try {
      void aio.stat([wd, 'name.txt']);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(IoaioError);
    expect((thrown as IoaioError).code).toBe('EBADF');
    expect(() => aio.open([wd, 'x'], 'w', 0o666, () => {})).toThrow(IoaioError);
    expect(() => aio.mkdir([wd, 'x'])).toThrow(/closed/);
    expect(fs.existsSync(`${B}/x`)).toBe(false);
  });

  it('two overlapping close() calls both resolve only once the handle is closed', async () => {
    const wd = await aio.wd(B);
    const first = wd.close();
    const second = wd.close();
    await second;
    expect(wd.closed).toBe(true);
    await first;
    expect(wd.closed).toBe(true);
  });

  it('close waits for a request that is using the wd, which still succeeds', async () => {
    const wd = await aio.wd(B);
    const pending = aio.stat([wd, 'name.txt']);
    const closing = wd.close();
    expect(() => aio.stat([wd, 'name.txt'])).toThrow(IoaioError); // closing: no new users
    expect((await pending).size).toBe(9);
    await closing;
    expect(wd.closed).toBe(true);
  });

  it('many wds open and close without leaking into each other', async () => {
    const wds = await Promise.all([B, `${B}/sub`, root].map((p) => aio.wd(p)));
    const [a, b, c] = wds as [Wd, Wd, Wd];
    expect((await aio.stat([b, 'deep'])).size).toBe(1);
    expect((await aio.stat([c, 'plain.txt'])).size).toBe(1);
    await a.close();
    expect((await aio.stat([b, 'deep'])).size).toBe(1);
    await rejectsWith(aio.stat([c, 'deep']), { code: 'ENOENT' });
    await Promise.all([b.close(), c.close()]);
  });
});
