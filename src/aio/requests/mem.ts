// IO::AIO's aio_mlock and aio_mlockall (requests: faulting the pages in is
// what takes time) and its synchronous munlock and munlockall. Node has
// none of them. The memory is a Buffer's (or any Uint8Array's); the kernel
// locks whole pages, so the range is widened to page boundaries, as libeio
// and IO::AIO do.
import { checkErrno } from '../errors.js';
import { toBufRange, toInt } from '../args.js';
import { define, getLoop } from '../issue.js';
import { loadNative } from '../native/binding.js';
import { K } from '../native/kinds.js';
import type { Spec } from '../req.js';

/** A request on buf[offset, offset + length) of one of the memory kinds
 *  (mlock, msync, mtouch: ioaio_req_mem); buf stays referenced until it ends. */
export function memRequest(kind: number, syscall: string, a: unknown[], flags: number): Spec<void> {
  const p = toBufRange(a[0], a[1], a[2]);
  const l = getLoop();
  return { kind, syscall, keep: a[0], submit: (pri) => l.native.reqMem(l.ctx, kind, pri, p, p.byteLength, flags), decode: () => undefined };
}

/** mlock(2) of buf's memory (or a part of it). Pages stay locked until munlock, munlockall or exit. */
export const mlock = define<[buf: Uint8Array, offset?: number, length?: number | null], void>((a) => memRequest(K.MLOCK, 'mlock', a, 0));

/** mlockall(2): MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT. */
export const mlockall = define<[flags: number], void>((a) => {
  const flags = toInt(a[0], 'flags', 1, 7);
  const l = getLoop();
  return { kind: K.MLOCKALL, syscall: 'mlockall', submit: (pri) => l.native.reqMem(l.ctx, K.MLOCKALL, pri, null, 0, flags), decode: () => undefined };
});

/** munlock(2) of buf's memory (or a part), synchronous, as IO::AIO's. */
export function munlock(buf: Uint8Array, offset?: number, length?: number | null): void {
  const part = toBufRange(buf, offset, length);
  checkErrno(loadNative().munlock(part, part.byteLength), 'munlock');
}

/** munlockall(2), synchronous. */
export function munlockall(): void {
  checkErrno(loadNative().munlockall(), 'munlockall');
}
