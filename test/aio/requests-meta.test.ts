// utime/futime, chown/fchown, chmod/fchmod, truncate/ftruncate, allocate and
// the sync family, verified with node:fs.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'a.txt': 'aaaa', 'b.txt': 'bbbbbbbb', 'c.txt': '0123456789' });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));
const ns = (p: string) => fs.statSync(p, { bigint: true });

describe('utime / futime', () => {
  it('sets seconds with fractions (exact for binary fractions)', async () => {
    await aio.utime(P('a.txt'), 1_000_000_000.25, 1_234_567_890.5);
    const f = ns(P('a.txt'));
    expect(f.atimeNs).toBe(1_000_000_000_250_000_000n);
    expect(f.mtimeNs).toBe(1_234_567_890_500_000_000n);
  });

  it('keeps decimal fractions to within a microsecond', async () => {
    await aio.utime(P('a.txt'), 1_500_000_000.123456, 1_500_000_000.987654);
    const f = ns(P('a.txt'));
    expect(Math.abs(Number(f.atimeNs - 1_500_000_000_123_456_000n))).toBeLessThan(1000);
    expect(Math.abs(Number(f.mtimeNs - 1_500_000_000_987_654_000n))).toBeLessThan(1000);
  });

  it('accepts Dates (millisecond precision)', async () => {
    const at = new Date('2001-02-03T04:05:06.789Z');
    const mt = new Date('2010-11-12T13:14:15.250Z');
    await aio.utime(P('a.txt'), at, mt);
    const f = ns(P('a.txt'));
    expect(Number(f.mtimeNs / 1_000_000n)).toBe(mt.getTime());
    expect(Math.round(Number(f.atimeNs) / 1e6)).toBe(at.getTime());
    expect((await aio.stat(P('a.txt'))).mtime.getTime()).toBe(mt.getTime());
  });

  it('both null sets the current time', async () => {
    fs.utimesSync(P('a.txt'), 1000, 1000);
    const before = Date.now() - 2000;
    await aio.utime(P('a.txt'), null, null);
    const f = fs.statSync(P('a.txt'));
    expect(f.mtimeMs).toBeGreaterThan(before);
    expect(f.atimeMs).toBeGreaterThan(before);
    expect(f.mtimeMs).toBeLessThan(Date.now() + 2000);
  });

  it('bigint nanoseconds are exact, and null sets just that time to now', async () => {
    await aio.utime(P('a.txt'), 1_700_000_000_123_456_789n, -1_500_000_001n);
    expect(ns(P('a.txt')).atimeNs).toBe(1_700_000_000_123_456_789n);
    expect(ns(P('a.txt')).mtimeNs).toBe(-1_500_000_001n);
    const before = BigInt(Date.now() - 2000) * 1_000_000n;
    await aio.utime(P('a.txt'), null, 1000);
    expect(ns(P('a.txt')).atimeNs > before).toBe(true);
    expect(ns(P('a.txt')).mtimeNs).toBe(1_000_000_000_000n);
  });

  it('undefined leaves that time as it is; both undefined is now (IO::AIO undef)', async () => {
    await aio.utime(P('a.txt'), 1_000_000_000, 1_100_000_000);
    await aio.utime(P('a.txt'), 1_200_000_000, undefined);
    expect([ns(P('a.txt')).atimeNs, ns(P('a.txt')).mtimeNs]).toEqual([1_200_000_000_000_000_000n, 1_100_000_000_000_000_000n]);
    await cbOk<void>((cb) => aio.utime(P('a.txt'), undefined, 1_300_000_000, cb));
    expect([ns(P('a.txt')).atimeNs, ns(P('a.txt')).mtimeNs]).toEqual([1_200_000_000_000_000_000n, 1_300_000_000_000_000_000n]);
    const before = Date.now() - 2000;
    await aio.utime(P('a.txt'), undefined, undefined);
    expect(fs.statSync(P('a.txt')).mtimeMs).toBeGreaterThan(before);
    expect(fs.statSync(P('a.txt')).atimeMs).toBeGreaterThan(before);
  });

  it('futime on an fd, in both forms', async () => {
    const fd = await aio.open(P('b.txt'), 'r');
    await aio.futime(fd, 2_000_000_000, 2_000_000_001.75);
    expect(ns(P('b.txt')).mtimeNs).toBe(2_000_000_001_750_000_000n);
    await cbOk<void>((cb) => aio.futime(fd, new Date(86_400_000), new Date(172_800_000), cb));
    expect(fs.statSync(P('b.txt')).mtimeMs).toBe(172_800_000);
    expect(fs.statSync(P('b.txt')).atimeMs).toBe(86_400_000);
    await cbOk<void>((cb) => aio.futime(fd, null, null, cb));
    expect(fs.statSync(P('b.txt')).mtimeMs).toBeGreaterThan(Date.now() - 5000);
    await aio.close(fd);
    await rejectsWith(aio.futime(fd, 1, 1), { code: 'EBADF', syscall: 'futime' });
  });

  // Documented: "Times are seconds (fractions kept to the nanosecond), Dates,
  // or both null for now". Pre-1970 times are seconds too (ext4 and tmpfs
  // store them); only (null, null) should mean now.
  it('pre-1970 times with fractions are set, not EINVAL (-1.5 s = -2 s + 0.5e9 ns)', async () => {
    await aio.utime(P('a.txt'), -1.5, -2.25);
    const f = ns(P('a.txt'));
    expect(f.atimeNs).toBe(-1_500_000_000n);
    expect(f.mtimeNs).toBe(-2_250_000_000n);
  });

  it('(-1, -1) are times one second before the epoch, not "now"', async () => {
    await aio.utime(P('a.txt'), -1, -1);
    expect(ns(P('a.txt')).mtimeNs).toBe(-1_000_000_000n);
    await aio.utime(P('a.txt'), new Date(-1000), new Date(-1000));
    expect(ns(P('a.txt')).atimeNs).toBe(-1_000_000_000n);
  });

  it('whole negative seconds work (-100, and -1 with a different other time)', async () => {
    await aio.utime(P('a.txt'), -100, -1);
    const f = ns(P('a.txt'));
    expect(f.atimeNs).toBe(-100_000_000_000n);
    expect(f.mtimeNs).toBe(-1_000_000_000n);
  });

  it('an invalid Date changes nothing (TypeError at once, or EINVAL as node:fs gives)', async () => {
    fs.utimesSync(P('c.txt'), 77, 88);
    let err: unknown;
    try {
      await aio.utime(P('c.txt'), new Date(NaN), new Date(NaN));
    } catch (e) {
      err = e;
    }
    expect(err instanceof TypeError || (err as { code?: string })?.code === 'EINVAL').toBe(true);
    expect(fs.statSync(P('c.txt')).mtimeMs).toBe(88_000);
  });

  it('callback form of utime, and ENOENT', async () => {
    await cbOk<void>((cb) => aio.utime(P('c.txt'), 5, 6, cb));
    expect(fs.statSync(P('c.txt')).mtimeMs).toBe(6000);
    await cbFails((cb) => aio.utime(P('gone'), 1, 1, cb), { code: 'ENOENT', syscall: 'utime', path: P('gone') });
  });
});

describe('chown / fchown', () => {
  const uid = process.getuid!();
  const gid = process.getgid!();

  it('chown to the current uid/gid; -1 leaves an id unchanged', async () => {
    await aio.chown(P('a.txt'), uid, gid);
    expect(fs.statSync(P('a.txt')).uid).toBe(uid);
    expect(fs.statSync(P('a.txt')).gid).toBe(gid);
    await aio.chown(P('a.txt'), -1, -1);
    await cbOk<void>((cb) => aio.chown(P('a.txt'), uid, -1, cb));
    expect(fs.statSync(P('a.txt')).gid).toBe(gid);
    await rejectsWith(aio.chown(P('zzz'), uid, gid), { code: 'ENOENT', syscall: 'chown', path: P('zzz') });
  });

  it.skipIf(uid !== 0)('as root, chown really changes ids and -1 keeps the other one', async () => {
    await aio.chown(P('c.txt'), 1234, 5678);
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 1234, gid: 5678 });
    await aio.chown(P('c.txt'), -1, 4321);
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 1234, gid: 4321 });
    const fd = await aio.open(P('c.txt'));
    await cbOk<void>((cb) => aio.fchown(fd, 42, -1, cb));
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 42, gid: 4321 });
    await aio.fchown(fd, uid, gid);
    await aio.close(fd);
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid, gid });
  });

  it.skipIf(uid !== 0)('undefined and null leave an id unchanged, as IO::AIO\'s undef', async () => {
    await aio.chown(P('c.txt'), 1234, 5678);
    await aio.chown(P('c.txt'), undefined, 4321);
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 1234, gid: 4321 });
    await cbOk<void>((cb) => aio.chown(P('c.txt'), 99, null, cb));
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 99, gid: 4321 });
    const fd = await aio.open(P('c.txt'));
    await aio.fchown(fd, null, undefined);
    expect(fs.statSync(P('c.txt'))).toMatchObject({ uid: 99, gid: 4321 });
    await aio.fchown(fd, uid, gid);
    await aio.close(fd);
  });

  it('fchown on an fd, and EBADF once closed', async () => {
    const fd = await aio.open(P('b.txt'));
    await aio.fchown(fd, uid, gid);
    expect(fs.statSync(P('b.txt')).uid).toBe(uid);
    await aio.close(fd);
    await cbFails((cb) => aio.fchown(fd, uid, gid, cb), { code: 'EBADF', syscall: 'fchown' });
  });
});

describe('chmod / fchmod', () => {
  it('chmod sets permission bits (umask does not apply)', async () => {
    await aio.chmod(P('a.txt'), 0o604);
    expect(fs.statSync(P('a.txt')).mode & 0o7777).toBe(0o604);
    await cbOk<void>((cb) => aio.chmod(P('a.txt'), 0o777, cb));
    expect(fs.statSync(P('a.txt')).mode & 0o7777).toBe(0o777);
    await cbFails((cb) => aio.chmod(P('nope'), 0o644, cb), { code: 'ENOENT', syscall: 'chmod', path: P('nope') });
  });

  it('fchmod sets permission bits through an fd', async () => {
    const fd = await aio.open(P('b.txt'));
    await aio.fchmod(fd, 0o640);
    expect(fs.statSync(P('b.txt')).mode & 0o7777).toBe(0o640);
    await cbOk<void>((cb) => aio.fchmod(fd, 0o1755, cb));
    expect(fs.statSync(P('b.txt')).mode & 0o7777).toBe(0o1755);
    await aio.close(fd);
    await rejectsWith(aio.fchmod(fd, 0o600), { code: 'EBADF', syscall: 'fchmod' });
  });
});

describe('truncate / ftruncate / allocate', () => {
  it('truncate shrinks and extends with zeros', async () => {
    const p = P('t.txt');
    fs.writeFileSync(p, 'abcdefgh');
    await aio.truncate(p, 3);
    expect(fs.readFileSync(p, 'utf8')).toBe('abc');
    await cbOk<void>((cb) => aio.truncate(p, 6, cb));
    expect(fs.readFileSync(p)).toEqual(Buffer.from('abc\0\0\0'));
    await rejectsWith(aio.truncate(P('dir-nope/x'), 0), { code: 'ENOENT', syscall: 'truncate' });
  });

  it('ftruncate through an fd; EINVAL on a read-only fd', async () => {
    const p = P('ft.txt');
    fs.writeFileSync(p, '0123456789');
    const fd = await aio.open(p, 'r+');
    await aio.ftruncate(fd, 4);
    expect(fs.statSync(p).size).toBe(4);
    await cbOk<void>((cb) => aio.ftruncate(fd, 0, cb));
    expect(fs.statSync(p).size).toBe(0);
    await aio.close(fd);
    const ro = await aio.open(p, 'r');
    await cbFails((cb) => aio.ftruncate(ro, 1, cb), { code: 'EINVAL', syscall: 'ftruncate' });
    await aio.close(ro);
  });

  const fsType = execFileSync('stat', ['-f', '-c', '%T', root], { encoding: 'utf8' }).trim();

  it(`allocate (mode 0) extends the file, or reports EOPNOTSUPP (tmp is ${fsType})`, async () => {
    const p = P('alloc.bin');
    fs.writeFileSync(p, 'xy');
    const fd = await aio.open(p, 'r+');
    let err: unknown;
    try {
      await aio.allocate(fd, 0, 0, 1 << 20);
    } catch (e) {
      err = e;
    }
    if (err) {
      expect(err).toMatchObject({ code: 'EOPNOTSUPP', syscall: 'allocate' });
    } else {
      expect(fs.statSync(p).size).toBe(1 << 20);
      expect(fs.statSync(p).blocks * 512).toBeGreaterThanOrEqual(1 << 20);
      expect(fs.readFileSync(p).subarray(0, 3)).toEqual(Buffer.from('xy\0'));
      await cbOk<void>((cb) => aio.allocate(fd, 0, 0, 4 << 20, cb));
      expect(fs.statSync(p).size).toBe(4 << 20);
    }
    await aio.close(fd);
    await rejectsWith(aio.allocate(fd, 0, 0, 10), { code: 'EBADF', syscall: 'allocate' });
  });
});

describe('fsync / fdatasync / syncfs / syncFileRange', () => {
  it('each resolves undefined on an open fd and fails EBADF on a closed one', async () => {
    const fd = await aio.open(P('c.txt'), 'r+');
    await aio.write(fd, Buffer.from('Z'), 0);
    expect(await aio.fsync(fd)).toBeUndefined();
    expect(await aio.fdatasync(fd)).toBeUndefined();
    expect(await aio.syncfs(fd)).toBeUndefined();
    expect(await aio.syncFileRange(fd, 0, 0, 1 | 2 | 4)).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.fsync(fd, cb))).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.fdatasync(fd, cb))).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.syncfs(fd, cb))).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.syncFileRange(fd, 0, 1, 2, cb))).toBeUndefined();
    await aio.close(fd);
    expect(fs.readFileSync(P('c.txt'), 'utf8')).toBe('Z123456789');
    await rejectsWith(aio.fsync(fd), { code: 'EBADF', syscall: 'fsync' });
    await rejectsWith(aio.fdatasync(fd), { code: 'EBADF', syscall: 'fdatasync' });
    await cbFails((cb) => aio.syncfs(fd, cb), { code: 'EBADF', syscall: 'syncfs' });
    await cbFails((cb) => aio.syncFileRange(fd, 0, 0, 2, cb), { code: 'EBADF', syscall: 'sync_file_range' });
  });
});
