// IO::AIO's aio_mlock and aio_mlockall (requests: faulting the pages in is
// what takes time) and its synchronous munlock and munlockall. Node has
// none of them. The memory is a Buffer's (or any Uint8Array's); the kernel
// locks whole pages, so the range is widened to page boundaries, as libeio
// and IO::AIO do.
import { argError, checkErrno } from '../errors.js';
import { toInt } from '../args.js';
import { define, getLoop } from '../issue.js';
import { loadNative } from '../native/binding.js';
import { K } from '../native/kinds.js';

/** The part [offset, offset + length) of buf (length undefined: to its end), checked. */
function range(buf: unknown, offset: unknown, length: unknown): Uint8Array {
  if (!(buf instanceof Uint8Array)) throw argError('buf', 'a Buffer or Uint8Array', buf);
  const off = toInt(offset ?? 0, 'offset', 0, buf.byteLength);
  const len = length === undefined || length === null ? buf.byteLength - off : toInt(length, 'length', 0, buf.byteLength - off);
  return buf.subarray(off, off + len);
}

/** mlock(2) of buf's memory (or a part of it). Pages stay locked until munlock, munlockall or exit. */
export const mlock = define<[buf: Uint8Array, offset?: number, length?: number | null], void>((a) => {
  const part = range(a[0], a[1], a[2]);
  const l = getLoop();
  return { kind: K.MLOCK, syscall: 'mlock', keep: a[0], submit: (pri) => l.native.reqMem(l.ctx, K.MLOCK, pri, part, part.byteLength, 0), decode: () => undefined };
});

/** mlockall(2): MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT. */
export const mlockall = define<[flags: number], void>((a) => {
  const flags = toInt(a[0], 'flags', 1, 7);
  const l = getLoop();
  return { kind: K.MLOCKALL, syscall: 'mlockall', submit: (pri) => l.native.reqMem(l.ctx, K.MLOCKALL, pri, null, 0, flags), decode: () => undefined };
});

/** munlock(2) of buf's memory (or a part), synchronous, as IO::AIO's. */
export function munlock(buf: Uint8Array, offset?: number, length?: number | null): void {
  const part = range(buf, offset, length);
  checkErrno(loadNative().munlock(part, part.byteLength), 'munlock');
}

/** munlockall(2), synchronous. */
export function munlockall(): void {
  checkErrno(loadNative().munlockall(), 'munlockall');
}
