// aio.fcntl and aio.ioctl against the kernel's own answers: record locks
// seen from another process (Python's fcntl.lockf, F_SETLK underneath),
// open-file-description locks, descriptor flags, inode flags as lsattr shows
// them, and FICLONE's clear refusal where the filesystem cannot clone.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ioaio-ctl-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Python child holding an exclusive lockf lock on path until killed; resolves once it holds it. */
function lockHolder(path: string) {
  const child = spawn('python3', ['-c', 'import fcntl,sys,time\nf=open(sys.argv[1],"r+")\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint("locked", flush=True)\ntime.sleep(60)', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited ${c}`)));
  });
  return { child, ready };
}

describe('fcntl', () => {
  it('descriptor flags: F_GETFD / F_SETFD / F_GETFL, as /proc/self/fdinfo says', async () => {
    const fd = openSync(join(dir, 'flags'), 'w');
    try {
      await aio.fcntl(fd, aio.F_SETFD, aio.FD_CLOEXEC);
      expect(await aio.fcntl(fd, aio.F_GETFD)).toBe(aio.FD_CLOEXEC);
      const fl = await aio.fcntl(fd, aio.F_GETFL);
      const proc = parseInt(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/flags:\s+(\d+)/)![1]!, 8);
      expect(fl).toBe(proc & ~0o2000000); // fdinfo adds O_CLOEXEC, F_GETFL does not
      const dup = await aio.fcntl(fd, aio.F_DUPFD_CLOEXEC, 100);
      expect(dup).toBeGreaterThanOrEqual(100);
      expect(await aio.fcntl(dup, aio.F_GETFD)).toBe(aio.FD_CLOEXEC);
      closeSync(dup);
    } finally {
      closeSync(fd);
    }
    await expect(aio.fcntl(fd, aio.F_GETFD)).rejects.toMatchObject({ code: 'EBADF', syscall: 'fcntl' });
  });

  it('record locks between two processes: F_GETLK names the holder, F_SETLK is refused, then granted', async () => {
    const path = join(dir, 'locked');
    writeFileSync(path, 'data');
    const { child, ready } = lockHolder(path);
    const fd = openSync(path, 'r+');
    try {
      await ready;
      const q = aio.flock(aio.F_WRLCK);
      await aio.fcntl(fd, aio.F_GETLK, q);
      expect(aio.flockFields(q)).toMatchObject({ type: aio.F_WRLCK, pid: child.pid });
      await expect(aio.fcntl(fd, aio.F_SETLK, aio.flock(aio.F_WRLCK))).rejects.toMatchObject({ code: expect.stringMatching(/^(EAGAIN|EACCES)$/) });
      // an open file description lock conflicts with it too
      const ofd = aio.flock(aio.F_WRLCK);
      await aio.fcntl(fd, aio.F_OFD_GETLK, ofd);
      // (a process lock's holder is named by its pid; an OFD lock's would be -1)
      expect(aio.flockFields(ofd)).toMatchObject({ type: aio.F_WRLCK, pid: child.pid });
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    try {
      // the holder is gone: granted, and F_GETLK from here sees no conflict
      expect(await aio.fcntl(fd, aio.F_SETLK, aio.flock(aio.F_WRLCK))).toBe(0);
      const q = aio.flock(aio.F_WRLCK);
      await aio.fcntl(fd, aio.F_GETLK, q);
      expect(aio.flockFields(q).type).toBe(aio.F_UNLCK);
      // and another process now cannot lock it
      const r = spawnSync('python3', ['-c', 'import fcntl,sys\nf=open(sys.argv[1],"r+")\ntry:\n  fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB); print("got")\nexcept OSError as e: print("refused", e.errno)', path], { encoding: 'utf8' });
      expect(r.stdout.trim()).toMatch(/^refused (11|13)$/);
    } finally {
      closeSync(fd);
    }
  });
});

describe('ioctl', () => {
  it('FS_IOC_GETFLAGS / SETFLAGS: the inode flags lsattr shows', async () => {
    const path = join(dir, 'attrs');
    writeFileSync(path, 'x');
    const fd = openSync(path, 'r');
    try {
      const flags = Buffer.alloc(8);
      try {
        await aio.ioctl(fd, aio.FS_IOC_GETFLAGS, flags);
      } catch (e) {
        // a filesystem without inode flags (tmpfs before 6.0, overlayfs …): its clear refusal
        expect((e as { code: string }).code).toMatch(/^(ENOTTY|EOPNOTSUPP|ENOTSUP|EINVAL)$/);
        return;
      }
      const before = flags.readInt32LE(0);
      flags.writeInt32LE(before | aio.FS_NOATIME_FL, 0);
      expect(await aio.ioctl(fd, aio.FS_IOC_SETFLAGS, flags)).toBe(0);
      const shown = spawnSync('lsattr', ['-d', path], { encoding: 'utf8' }).stdout.split(' ')[0]!;
      expect(shown).toContain('A'); // A: no atime updates
      const again = Buffer.alloc(8);
      await aio.ioctl(fd, aio.FS_IOC_GETFLAGS, again);
      expect(again.readInt32LE(0) & aio.FS_NOATIME_FL).toBe(aio.FS_NOATIME_FL);
    } finally {
      closeSync(fd);
    }
  });

  it('FICLONE: a clone where the filesystem has them, else its clear refusal', async () => {
    writeFileSync(join(dir, 'orig'), 'clone me');
    const src = openSync(join(dir, 'orig'), 'r');
    const dst = openSync(join(dir, 'clone'), 'w');
    try {
      let cloned = false;
      try {
        cloned = (await aio.ioctl(dst, aio.FICLONE, src)) === 0;
      } catch (e) {
        expect((e as { code: string; syscall: string })).toMatchObject({ code: expect.stringMatching(/^(EOPNOTSUPP|ENOTSUP|EXDEV|EINVAL|ENOTTY)$/), syscall: 'ioctl' });
      }
      if (cloned) expect(readFileSync(join(dir, 'clone'), 'utf8')).toBe('clone me');
    } finally {
      closeSync(src);
      closeSync(dst);
    }
  });

  it('refuses an argument that is neither an integer nor a Buffer, before submitting', () => {
    expect(() => aio.ioctl(0, aio.FICLONE, 'x' as unknown as number)).toThrow(TypeError);
    expect(() => aio.fcntl(0, -1)).toThrow(/cmd/);
  });
});
