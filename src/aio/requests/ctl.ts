// fcntl(2) and ioctl(2) as requests on libeio's threads (IO::AIO's
// aio_fcntl, aio_ioctl). The argument is an integer, or a Buffer whose
// address is passed: a struct the call reads, fills, or both (struct flock
// for F_GETLK/F_SETLK/F_OFD_*, an int for FS_IOC_GETFLAGS, a struct
// fstrim_range for FITRIM …); the request keeps it alive until it ends.
// As IO::AIO warns: a call that waits (F_SETLKW, F_OFD_SETLKW) holds one of
// the pool's threads while it waits.
import { argError } from '../errors.js';
import { toFd, toInt } from '../args.js';
import { define, getLoop } from '../issue.js';
import { K } from '../native/kinds.js';
import type { Spec } from '../req.js';

type CtlArg = number | Uint8Array | undefined | null;

function ctlSpec(kind: number, syscall: string, a: unknown[]): Spec<number> {
  const fd = toFd(a[0]);
  // ioctl request numbers are unsigned 32-bit (FS_IOC_GETFLAGS is 0x80086601)
  const cmd = toInt(a[1], kind === K.FCNTL ? 'cmd' : 'request', 0, 0xffffffff);
  const arg = a[2] as CtlArg;
  const l = getLoop();
  if (arg instanceof Uint8Array) {
    return { kind, syscall, keep: arg, submit: (pri) => l.native.reqCtl(l.ctx, kind, pri, fd, cmd, arg, 0) };
  }
  if (arg !== undefined && arg !== null && typeof arg !== 'number') throw argError('arg', 'an integer or a Buffer', arg);
  const n = toInt(arg ?? 0, 'arg');
  return { kind, syscall, submit: (pri) => l.native.reqCtl(l.ctx, kind, pri, fd, cmd, null, n) };
}

/** fcntl(fd, cmd, arg): resolves to fcntl's result (flags, a new fd, 0, …). */
export const fcntl = define<[fd: number, cmd: number, arg?: number | Uint8Array | null], number>((a) => ctlSpec(K.FCNTL, 'fcntl', a));

/** ioctl(fd, request, arg): resolves to ioctl's result; a Buffer arg is read and/or filled in place. */
export const ioctl = define<[fd: number, request: number, arg?: number | Uint8Array | null], number>((a) => ctlSpec(K.IOCTL, 'ioctl', a));

/** struct flock (x86-64 layout, 32 bytes) for F_GETLK / F_SETLK / F_OFD_*:
 *  a Buffer to pass to fcntl, and its reader. l_pid must be 0 for OFD locks. */
export function flock(type: number, whence = 0, start = 0, len = 0, pid = 0): Buffer {
  const b = Buffer.alloc(32);
  b.writeInt16LE(toInt(type, 'type', 0, 2), 0);
  b.writeInt16LE(toInt(whence, 'whence', 0, 2), 2);
  b.writeBigInt64LE(BigInt(toInt(start, 'start')), 8);
  b.writeBigInt64LE(BigInt(toInt(len, 'len')), 16);
  b.writeInt32LE(toInt(pid, 'pid', -1, 0x7fffffff), 24);
  return b;
}

/** The fields of a struct flock Buffer (after F_GETLK: l_type F_UNLCK if nothing conflicts). */
export function flockFields(b: Uint8Array): { type: number; whence: number; start: number; len: number; pid: number } {
  const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { type: v.readInt16LE(0), whence: v.readInt16LE(2), start: Number(v.readBigInt64LE(8)), len: Number(v.readBigInt64LE(16)), pid: v.readInt32LE(24) };
}
