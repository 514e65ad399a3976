// IO::AIO's synchronous descriptor helpers, for what Node has no call for:
// pipe2 with flags, a pipe's buffer size, splice and tee, memfd, eventfd,
// timerfd, pidfd, mount and umount. Each is one syscall on the calling
// thread, as IO::AIO's are (none of them blocks, except splice/tee on a
// blocking descriptor, as in IO::AIO). Descriptors are plain numbers, for
// fs.read/fs.write/fs.close or aio's fd requests. Where IO::AIO returns
// undef or -1 with errno, these throw an IoaioError with its code.
// Not here: accept4 (net.Server accepts; a raw socket fd is of little use
// in Node).
import { argError, checkErrno } from './errors.js';
import { toFd, toInt, toNumber } from './args.js';
import { loadNative } from './native/binding.js';

// Linux's values, as IO::AIO exports them (checked against it by the tests).
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const EFD_SEMAPHORE = 1;
export const MFD_CLOEXEC = 1;
export const MFD_ALLOW_SEALING = 2;
export const MFD_HUGETLB = 4;
export const MFD_HUGETLB_2MB = 21 << 26;
export const MFD_HUGETLB_1GB = 30 << 26;
export const TFD_CLOEXEC = 0o2000000;
export const TFD_NONBLOCK = 0o4000;
export const TFD_TIMER_ABSTIME = 1;
export const TFD_TIMER_CANCEL_ON_SET = 2;
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
/** mount(2)'s flags (IO::AIO exports them beside msync's MS_ASYNC, MS_SYNC,
 *  MS_INVALIDATE, which share the prefix; MS_MGC_* and MS_RMT_MASK are the
 *  kernel's masks, for completeness) */
export const MS_ACTIVE = 0x40000000;
export const MS_BIND = 4096;
export const MS_DIRSYNC = 128;
export const MS_I_VERSION = 0x800000;
export const MS_KERNMOUNT = 0x400000;
export const MS_LAZYTIME = 0x2000000;
export const MS_MANDLOCK = 64;
export const MS_MGC_MSK = 0xffff0000;
export const MS_MGC_VAL = 0xc0ed0000;
export const MS_MOVE = 8192;
export const MS_NOATIME = 1024;
export const MS_NODEV = 4;
export const MS_NODIRATIME = 2048;
export const MS_NOEXEC = 8;
export const MS_NOSUID = 2;
/** as IO::AIO gives it: 1 << 31, signed (typed number: tsc 5 emits a negative literal type in the aio object's declaration as garbage) */
export const MS_NOUSER: number = -2147483648;
export const MS_POSIXACL = 0x10000;
export const MS_PRIVATE = 0x40000;
export const MS_RDONLY = 1;
export const MS_REC = 16384;
export const MS_RELATIME = 0x200000;
export const MS_REMOUNT = 32;
export const MS_RMT_MASK = 0x2800051;
export const MS_SHARED = 0x100000;
export const MS_SILENT = 32768;
export const MS_SLAVE = 0x80000;
export const MS_STRICTATIME = 0x1000000;
export const MS_SYNCHRONOUS = 16;
export const MS_UNBINDABLE = 0x20000;
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;
export const MNT_EXPIRE = 4;
export const UMOUNT_NOFOLLOW = 8;

const u32 = (v: unknown, name: string) => toInt(v ?? 0, name, 0, 0xffffffff);

/** pipe2(2): [readFd, writeFd]. flags: O_CLOEXEC, O_NONBLOCK, O_DIRECT. */
export function pipe2(flags = 0): [number, number] {
  const fds = new Int32Array(2);
  checkErrno(loadNative().pipe2(toInt(flags, 'flags', 0, 0x7fffffff), fds), 'pipe2');
  return [fds[0]!, fds[1]!];
}

/** A pipe's buffer size; with newSize, sets it first (F_SETPIPE_SZ, which
 *  rounds up to a power-of-two number of pages) and returns what it became. */
export function pipesize(fd: number, newSize?: number): number {
  return checkErrno(loadNative().pipesize(toFd(fd), newSize === undefined ? 0 : toInt(newSize, 'newSize', 1, 0x7fffffff)), 'fcntl');
}

const off = (v: number | null | undefined, name: string) => (v === null || v === undefined ? -1 : toInt(v, name, 0));

/** splice(2) from fdIn to fdOut (one of them a pipe): bytes moved. An
 *  offset of null/undefined uses the descriptor's own position, as IO::AIO's undef. */
export function splice(fdIn: number, offIn: number | null | undefined, fdOut: number, offOut: number | null | undefined, length: number, flags = 0): number {
  return checkErrno(loadNative().splice(toFd(fdIn, 'fdIn'), off(offIn, 'offIn'), toFd(fdOut, 'fdOut'), off(offOut, 'offOut'), toInt(length, 'length', 0), u32(flags, 'flags')), 'splice');
}

/** tee(2): duplicates up to length bytes from one pipe into another, leaving them in the first. */
export function tee(fdIn: number, fdOut: number, length: number, flags = 0): number {
  return checkErrno(loadNative().tee(toFd(fdIn, 'fdIn'), toFd(fdOut, 'fdOut'), toInt(length, 'length', 0), u32(flags, 'flags')), 'tee');
}

/** memfd_create(2): an anonymous file; name shows in /proc/self/fd. */
export function memfdCreate(name: string, flags = 0): number {
  if (typeof name !== 'string') throw argError('name', 'a string', name);
  return checkErrno(loadNative().memfdCreate(name, u32(flags, 'flags')), 'memfd_create');
}

/** eventfd(2). IO::AIO's defaults: initval 0, flags 0. */
export function eventfd(initval = 0, flags = 0): number {
  return checkErrno(loadNative().eventfd(u32(initval, 'initval'), toInt(flags, 'flags', 0, 0x7fffffff)), 'eventfd');
}

/** timerfd_create(2). Use TFD_CLOEXEC unless the fd is meant for a child. */
export function timerfdCreate(clockid: number, flags = 0): number {
  return checkErrno(loadNative().timerfdCreate(toInt(clockid, 'clockid', 0, 64), toInt(flags, 'flags', 0, 0x7fffffff)), 'timerfd_create');
}

/** timerfd_settime(2), times in seconds (fractions to the nanosecond as a
 *  double holds them): returns the old [interval, value], as IO::AIO. */
export function timerfdSettime(fd: number, flags: number, interval: number, value: number): [number, number] {
  const old = new Float64Array(2);
  const i = toNumber(interval, 'interval');
  const v = toNumber(value, 'value');
  if (i < 0 || v < 0) throw argError(i < 0 ? 'interval' : 'value', 'a number of seconds >= 0', i < 0 ? interval : value);
  checkErrno(loadNative().timerfdSettime(toFd(fd), toInt(flags, 'flags', 0, 3), i, v, old), 'timerfd_settime');
  return [old[0]!, old[1]!];
}

/** timerfd_gettime(2): [interval, value until the next expiry], in seconds. */
export function timerfdGettime(fd: number): [number, number] {
  const cur = new Float64Array(2);
  checkErrno(loadNative().timerfdGettime(toFd(fd), cur), 'timerfd_gettime');
  return [cur[0]!, cur[1]!];
}

/** pidfd_open(2): a descriptor for process pid (close-on-exec). */
export function pidfdOpen(pid: number, flags = 0): number {
  return checkErrno(loadNative().pidfdOpen(toInt(pid, 'pid', 1, 0x7fffffff), u32(flags, 'flags')), 'pidfd_open');
}

/** pidfd_send_signal(2), without a siginfo (IO::AIO's undef; its hash form is not offered). */
export function pidfdSendSignal(pidfd: number, signal: number, flags = 0): void {
  checkErrno(loadNative().pidfdSendSignal(toFd(pidfd, 'pidfd'), toInt(signal, 'signal', 0, 64), u32(flags, 'flags')), 'pidfd_send_signal');
}

/** pidfd_getfd(2): a copy of another process's descriptor targetfd (close-on-exec). */
export function pidfdGetfd(pidfd: number, targetfd: number, flags = 0): number {
  return checkErrno(loadNative().pidfdGetfd(toFd(pidfd, 'pidfd'), toFd(targetfd, 'targetfd'), u32(flags, 'flags')), 'pidfd_getfd');
}

/** mount(2). flags: MS_RDONLY, MS_BIND, MS_REC, MS_REMOUNT, … */
export function mount(special: string | null, path: string, fstype: string | null, flags = 0, data: string | null = null): void {
  if (typeof path !== 'string') throw argError('path', 'a string', path);
  checkErrno(loadNative().mount(special, path, fstype, toInt(flags, 'flags', -(2 ** 31), 2 ** 32) >>> 0, data), 'mount', path);
}

/** umount2(2); flags: MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW. */
export function umount(path: string, flags = 0): void {
  if (typeof path !== 'string') throw argError('path', 'a string', path);
  checkErrno(loadNative().umount(path, toInt(flags, 'flags', 0, 15)), 'umount', path);
}

function block(strings: readonly string[], name: string): Buffer {
  if (!Array.isArray(strings)) throw argError(name, 'an array of strings', strings);
  const parts: Buffer[] = [];
  for (const x of strings) {
    if (typeof x !== 'string' || x.includes('\0')) throw argError(name, 'an array of strings without NUL', x);
    parts.push(Buffer.from(x + '\0'));
  }
  return Buffer.concat([...parts, Buffer.alloc(1)]);
}

/**
 * fexecve(3): replaces this process with the program open on fd, as
 * execve would (Node, its threads and pending work end without cleanup:
 * no 'exit' event, unflushed streams are lost). stdin, stdout and stderr
 * are passed on: Node marks them close-on-exec, and this clears that for
 * the exec (and restores it if the exec fails). argv as strings; envp
 * "NAME=value" strings, default this process's environment. Returns only
 * by throwing, with the reason (ENOEXEC, EACCES, …). For a script on a
 * close-on-exec fd the kernel says ENOENT (the interpreter cannot reopen it).
 */
export function fexecve(fd: number, argv: readonly string[], envp?: readonly string[]): never {
  const env = envp ?? Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
  const a = block(argv, 'argv');
  const e = block(env, 'envp');
  checkErrno(loadNative().fexecve(toFd(fd), a, argv.length, e, env.length), 'fexecve');
  throw new Error('fexecve returned'); // not reached: it returns only on failure
}
