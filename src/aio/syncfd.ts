// IO::AIO's synchronous descriptor helpers, for what Node has no call for:
// pipe2 with flags, a pipe's buffer size, splice and tee, memfd, eventfd,
// timerfd, pidfd, mount and umount. Each is one syscall on the calling
// thread, as IO::AIO's are (none of them blocks, except splice/tee on a
// blocking descriptor, as in IO::AIO). Descriptors are plain numbers, for
// fs.read/fs.write/fs.close or aio's fd requests. Where IO::AIO returns
// undef or -1 with errno, these throw an IoaioError with its code.
// Not here: accept4 (net.Server accepts; a raw socket fd is of little use
// in Node) and fexecve (it replaces the process under Node's feet).
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

/** mount(2). flags are the kernel's MS_ mount flags (MS_RDONLY 1, MS_BIND
 *  4096, …; not exported: IO::AIO's MS_ names are msync's). */
export function mount(special: string | null, path: string, fstype: string | null, flags = 0, data: string | null = null): void {
  if (typeof path !== 'string') throw argError('path', 'a string', path);
  checkErrno(loadNative().mount(special, path, fstype, toInt(flags, 'flags', 0), data), 'mount', path);
}

/** umount2(2); flags: MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW. */
export function umount(path: string, flags = 0): void {
  if (typeof path !== 'string') throw argError('path', 'a string', path);
  checkErrno(loadNative().umount(path, toInt(flags, 'flags', 0, 15)), 'umount', path);
}
