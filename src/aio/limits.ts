// IO::AIO's synchronous helpers for the descriptor limit and fadvise. They
// run on the calling thread, as IO::AIO's do: each is one cheap syscall.
// Node has neither (process.setrlimit does not exist; fs has no fadvise).
import { readFileSync } from 'node:fs';
import { toFd, toInt } from './args.js';
import { checkErrno } from './errors.js';
import { loadNative } from './native/binding.js';

/** posix_fadvise's advice (IO::AIO::FADV_*; Linux's values). */
export const FADV_NORMAL = 0;
export const FADV_RANDOM = 1;
export const FADV_SEQUENTIAL = 2;
export const FADV_WILLNEED = 3;
export const FADV_DONTNEED = 4;
export const FADV_NOREUSE = 5;

/** The descriptor limit (RLIMIT_NOFILE's soft limit; one more than the
 *  highest valid fd). IO::AIO returns undef on error; this throws. */
export function getFdlimit(): number {
  return checkErrno(loadNative().getFdlimit(), 'getrlimit');
}

/** Raises the descriptor limit to at least n (default: as high as the
 *  kernel's fs.nr_open allows), soft limit first, then the hard one when
 *  privileged. As IO::AIO, a limit that cannot reach n is still raised as
 *  far as it can go; IO::AIO then returns undef, this throws (EPERM). */
export function minFdlimit(n?: number): void {
  checkErrno(loadNative().minFdlimit(n === undefined ? nrOpen() : toInt(n, 'n', 0, 0x7fffffff)), 'setrlimit');
}

/** posix_fadvise(fd, offset, len, advice); len 0 means to the end. */
export function fadvise(fd: number, offset: number, len: number, advice: number): void {
  checkErrno(loadNative().fadvise(toFd(fd), toInt(offset, 'offset', 0), toInt(len, 'len', 0), toInt(advice, 'advice', 0, 5)), 'fadvise');
}

/** The kernel's ceiling for RLIMIT_NOFILE (IO::AIO asks for 0x7fffffff and
 *  lets the kernel refuse; asking for what the kernel allows succeeds). */
function nrOpen(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/nr_open', 'utf8')) || 1 << 20;
  } catch {
    return 1 << 20;
  }
}
