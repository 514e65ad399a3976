// IO::AIO's synchronous descriptor helpers, each checked against the
// kernel's own answer: data through a real pipe, splice and tee byte for
// byte, the pipe size fcntl reports, memfd's /proc name, eventfd's counter,
// a timerfd that expires, and a pidfd that signals a real child.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readlinkSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio, IoaioError } from '../../src/aio/index.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ioaio-syncfd-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;

function readAll(fd: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, b, got, n - got, null);
    if (r === 0) break;
    got += r;
  }
  return b.subarray(0, got);
}

describe('pipe2 and pipesize', () => {
  it('makes a pipe that carries bytes, with the flags asked for', () => {
    const [r, w] = aio.pipe2(O_CLOEXEC | O_NONBLOCK);
    try {
      expect(fstatSync(r).isFIFO()).toBe(true);
      const flags = readFileSync(`/proc/self/fdinfo/${w}`, 'utf8').match(/flags:\s+(\d+)/)![1]!;
      expect(parseInt(flags, 8) & O_NONBLOCK).toBe(O_NONBLOCK);
      expect(parseInt(flags, 8) & O_CLOEXEC).toBe(O_CLOEXEC);
      writeSync(w, 'through the pipe');
      expect(readAll(r, 16).toString()).toBe('through the pipe');
    } finally {
      closeSync(r);
      closeSync(w);
    }
  });

  it('reads and sets the buffer size, as F_GETPIPE_SZ reports it', () => {
    const [r, w] = aio.pipe2();
    try {
      expect(aio.pipesize(r)).toBe(65536); // Linux's default: 16 pages
      expect(aio.pipesize(w, 200_000)).toBe(262144); // rounded up to a power of two pages
      expect(aio.pipesize(r)).toBe(262144);
    } finally {
      closeSync(r);
      closeSync(w);
    }
    const f = openSync(join(dir, 'plain'), 'w');
    try {
      expect(() => aio.pipesize(f)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    } finally {
      closeSync(f);
    }
  });
});

describe('splice and tee', () => {
  it('move a file through a pipe into another file, and tee copies a pipe without draining it', () => {
    const data = Buffer.alloc(100_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    writeFileSync(join(dir, 'src'), data);
    const src = openSync(join(dir, 'src'), 'r');
    const dst = openSync(join(dir, 'dst'), 'w');
    const [r, w] = aio.pipe2();
    const [r2, w2] = aio.pipe2();
    try {
      aio.pipesize(w, 1 << 20);
      aio.pipesize(w2, 1 << 20);
      // from offset 1000 of src, the file's own position untouched
      expect(aio.splice(src, 1000, w, null, 50_000, aio.SPLICE_F_MOVE)).toBe(50_000);
      expect(aio.tee(r, w2, 50_000, 0)).toBe(50_000);
      let moved = 0;
      while (moved < 50_000) moved += aio.splice(r, undefined, dst, moved, 50_000 - moved);
      closeSync(dst);
      expect(readFileSync(join(dir, 'dst')).equals(data.subarray(1000, 51_000))).toBe(true);
      expect(readAll(r2, 50_000).equals(data.subarray(1000, 51_000))).toBe(true);
      expect(readAll(src, 10).equals(data.subarray(0, 10))).toBe(true); // position still 0
    } finally {
      for (const fd of [src, r, w, r2, w2]) closeSync(fd);
    }
  });

  it('fail with the kernel\'s reason when neither end is a pipe', () => {
    const a = openSync(join(dir, 'src'), 'r');
    const b = openSync(join(dir, 'x'), 'w');
    try {
      expect(() => aio.splice(a, 0, b, 0, 10)).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'splice' }));
    } finally {
      closeSync(a);
      closeSync(b);
    }
  });
});

describe('memfd_create, eventfd, timerfd', () => {
  it('memfd: an anonymous file named in /proc, read back', () => {
    const fd = aio.memfdCreate('ioaio-test', aio.MFD_CLOEXEC);
    try {
      expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe('/memfd:ioaio-test (deleted)');
      writeSync(fd, 'in memory', 0);
      const b = Buffer.alloc(9);
      readSync(fd, b, 0, 9, 0);
      expect(b.toString()).toBe('in memory');
      expect(fstatSync(fd).size).toBe(9);
    } finally {
      closeSync(fd);
    }
  });

  it('eventfd: the counter adds writes and a read takes it (or one, as a semaphore)', () => {
    const fd = aio.eventfd(5, aio.EFD_CLOEXEC | aio.EFD_NONBLOCK);
    const sem = aio.eventfd(2, aio.EFD_SEMAPHORE | aio.EFD_NONBLOCK);
    try {
      const v = Buffer.alloc(8);
      v.writeBigUInt64LE(3n);
      writeSync(fd, v);
      expect(readAll(fd, 8).readBigUInt64LE()).toBe(8n);
      expect(() => readSync(fd, Buffer.alloc(8))).toThrow(/EAGAIN/); // emptied
      expect(readAll(sem, 8).readBigUInt64LE()).toBe(1n);
      expect(readAll(sem, 8).readBigUInt64LE()).toBe(1n);
      expect(() => readSync(sem, Buffer.alloc(8))).toThrow(/EAGAIN/);
    } finally {
      closeSync(fd);
      closeSync(sem);
    }
  });

  it('timerfd: armed, read back, expires, and the old setting comes back', async () => {
    const fd = aio.timerfdCreate(aio.CLOCK_MONOTONIC, aio.TFD_CLOEXEC | aio.TFD_NONBLOCK);
    try {
      expect(aio.timerfdSettime(fd, 0, 0, 0.05)).toEqual([0, 0]);
      const [interval, left] = aio.timerfdGettime(fd);
      expect(interval).toBe(0);
      expect(left).toBeGreaterThan(0.02);
      expect(left).toBeLessThanOrEqual(0.05);
      await new Promise((r) => setTimeout(r, 80));
      expect(readAll(fd, 8).readBigUInt64LE()).toBe(1n); // one expiry
      expect(aio.timerfdGettime(fd)).toEqual([0, 0]); // disarmed after a one-shot
      const old = aio.timerfdSettime(fd, 0, 2, 10);
      expect(old).toEqual([0, 0]);
      const [i2, v2] = aio.timerfdSettime(fd, 0, 0, 0);
      expect(i2).toBe(2);
      expect(v2).toBeGreaterThan(9);
      expect(() => aio.timerfdSettime(fd, 0, -1, 0)).toThrow(TypeError);
    } finally {
      closeSync(fd);
    }
  });
});

describe('pidfd', () => {
  it('opens a child, copies one of its descriptors, and signals it', async () => {
    const child = spawn('sleep', ['30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
    const pidfd = aio.pidfdOpen(child.pid!);
    try {
      // its stdout leads to us (Node makes it a socket pair): the copy is that socket (the same inode)
      const copy = aio.pidfdGetfd(pidfd, 1);
      const ino = Number(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${child.pid}/fd/1`))![1]);
      expect(fstatSync(copy).isSocket()).toBe(true);
      expect(fstatSync(copy).ino).toBe(ino);
      closeSync(copy);
      aio.pidfdSendSignal(pidfd, 15);
      expect(await exited).toBe('SIGTERM');
    } finally {
      closeSync(pidfd);
    }
    expect(() => aio.pidfdOpen(0x7ffffff0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});

describe('mount and umount', () => {
  it('mount a tmpfs and take it away again (as root), or fail with the kernel\'s reason', () => {
    const target = mkdtempSync(join(dir, 'm-'));
    const mounted = () => readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === target);
    try {
      aio.mount('ioaio-test', target, 'tmpfs', 0, 'size=1m');
    } catch (e) {
      // unprivileged: the kernel's refusal, as an IoaioError naming the path
      expect(e).toBeInstanceOf(IoaioError);
      expect(['EPERM', 'EACCES']).toContain((e as IoaioError).code);
      return;
    }
    expect(mounted()?.split(' ').slice(0, 3)).toEqual(['ioaio-test', target, 'tmpfs']);
    const fd = openSync(join(target, 'f'), 'w');
    expect(() => aio.umount(target)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    closeSync(fd);
    aio.umount(target);
    expect(mounted()).toBeUndefined();
    expect(() => aio.umount(target)).toThrow(expect.objectContaining({ code: 'EINVAL', path: target }));
  });
});

describe('fexecve', () => {
  it('replaces the process with the program open on an fd (a memfd holding echo), or says why not', () => {
    const src = new URL('../../dist/src/aio/index.js', import.meta.url).pathname;
    const prog = `import { aio } from ${JSON.stringify(src)}; import { readFileSync, writeSync } from 'node:fs';
      const fd = aio.memfdCreate('echo', aio.MFD_CLOEXEC);
      writeSync(fd, readFileSync('/bin/echo'));
      try { aio.fexecve(fd, ['echo', 'from', 'the', 'memfd'], ['ONLY=this']); } catch (e) { console.log('failed', e.code); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', prog], { encoding: 'utf8' });
    if (r.stderr.includes('ERR_MODULE_NOT_FOUND')) return void console.warn('skipped: dist/ not built');
    expect(r.stdout).toBe('from the memfd\n');
    expect(r.status).toBe(0);
    // a bad fd: the reason, and no exec
    expect(() => aio.fexecve(0x7ffffff, ['x'])).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'fexecve' }));
    expect(() => aio.fexecve(0, ['a\0b'])).toThrow(TypeError);
  });
});
