// IO::AIO's mmap family over Buffers: mmap returns a Buffer that views the
// mapping itself (no copy); msync and mtouch are requests; munmap, madvise
// and mprotect are synchronous, as in IO::AIO.
//
// Safety (see native/src/mmap.c): a view of native memory cannot be
// detached in Node 20, so a Buffer outlives any munmap. munmap therefore
// puts anonymous zero pages over the range in place (the file's pages are
// dropped, the Buffer reads zeros, writes go nowhere) and the address range
// is unmapped for real once the Buffer is garbage collected. mremap is not
// offered: moving a mapping would leave the old Buffer over a hole.
// mprotect is as dangerous as in C: touching a PROT_NONE page kills the
// process (SIGSEGV), as it would Perl.
import { argError, checkErrno, IoaioError } from '../errors.js';
import { toInt } from '../args.js';
import { define, getLoop } from '../issue.js';
import { loadNative } from '../native/binding.js';
import { K } from '../native/kinds.js';

interface Mapping {
  addr: object;
  len: number;
  retired: boolean;
}

const mappings = new WeakMap<ArrayBuffer, Mapping>();
const reaper = new FinalizationRegistry<Mapping>((m) => void loadNative().munmap(m.addr, m.len));

/**
 * mmap(2) of length bytes: a Buffer over the mapping. prot PROT_*, flags
 * MAP_* (MAP_SHARED or MAP_PRIVATE, MAP_ANONYMOUS with fd -1 …), offset a
 * multiple of the page size.
 */
export function mmap(length: number, prot: number, flags: number, fd = -1, offset = 0): Buffer {
  const n = loadNative();
  const len = toInt(length, 'length', 1);
  const err = new Int32Array(1);
  const addr = n.mmap(len, toInt(prot, 'prot', 0, 0xff), toInt(flags, 'flags', 0, 0x7fffffff), toInt(fd, 'fd', -1, 0x7fffffff), toInt(offset, 'offset', 0), err);
  if (!addr) throw new IoaioError({ errno: err[0]!, syscall: 'mmap' });
  const ab = n.view(addr, len);
  const m: Mapping = { addr, len, retired: false };
  mappings.set(ab, m);
  reaper.register(ab, m);
  return Buffer.from(ab);
}

function mappingOf(buf: unknown, syscall: string): Mapping {
  const m = buf instanceof Uint8Array ? mappings.get(buf.buffer as ArrayBuffer) : undefined;
  if (!m || m.retired) {
    throw new IoaioError({ errno: 22, syscall }); // EINVAL: not a live mapping made by aio.mmap
  }
  return m;
}

/** munmap: the mapping's pages go (shared changes not yet written are
 *  written as a munmap would leave them: msync first if they must be on
 *  disk now); the Buffer then reads zeros until it is collected. */
export function munmap(buf: Uint8Array): void {
  const m = mappingOf(buf, 'munmap');
  checkErrno(loadNative().mmapRetire(m.addr, m.len), 'munmap');
  m.retired = true;
}

/** The part [offset, offset + length) of buf (length undefined or null: to its end). */
function part(buf: unknown, offset: unknown, length: unknown): Uint8Array {
  if (!(buf instanceof Uint8Array)) throw argError('buf', 'a Buffer or Uint8Array', buf);
  const off = toInt(offset ?? 0, 'offset', 0, buf.byteLength);
  const len = length === undefined || length === null ? buf.byteLength - off : toInt(length, 'length', 0, buf.byteLength - off);
  return buf.subarray(off, off + len);
}

function memRequest(kind: number, syscall: string, a: unknown[], flags: number) {
  const p = part(a[0], a[1], a[2]);
  const l = getLoop();
  return { kind, syscall, keep: a[0], submit: (pri: number) => l.native.reqMem(l.ctx, kind, pri, p, p.byteLength, flags), decode: () => undefined };
}

/** msync(2) of a mapping's range (widened to pages); flags MS_SYNC (the default, as IO::AIO), MS_ASYNC, MS_INVALIDATE. */
export const msync = define<[buf: Uint8Array, offset?: number, length?: number | null, flags?: number], void>((a) =>
  memRequest(K.MSYNC, 'msync', a, toInt(a[3] ?? 4, 'flags', 0, 7)),
);

/** Touches every page of the range: reads one byte each (flags 0), or reads and writes it back (MT_MODIFY), so the pages are instantiated (or dirtied). */
export const mtouch = define<[buf: Uint8Array, offset?: number, length?: number | null, flags?: number], void>((a) =>
  memRequest(K.MTOUCH, 'mtouch', a, toInt(a[3] ?? 0, 'flags', 0, 1)),
);

/** madvise(2) of buf[offset, offset + length): MADV_*; the start must be
 *  page-aligned (EINVAL otherwise). Linux's madvise, where IO::AIO calls
 *  posix_madvise: glibc's drops MADV_DONTNEED, and IO::AIO's MADV_ names
 *  (MADV_FREE, MADV_HUGEPAGE …) are Linux's. */
export function madvise(buf: Uint8Array, offset: number, length: number | null | undefined, advice: number): void {
  const p = part(buf, offset, length);
  checkErrno(loadNative().madvise(p, p.byteLength, toInt(advice, 'advice', 0, 100)), 'madvise');
}

/** mprotect(2) of buf[offset, offset + length): PROT_*; page-aligned start. Touching a page it made inaccessible kills the process. */
export function mprotect(buf: Uint8Array, offset: number, length: number | null | undefined, prot: number): void {
  const p = part(buf, offset, length);
  checkErrno(loadNative().mprotect(p, p.byteLength, toInt(prot, 'prot', 0, 0xff)), 'mprotect');
}

/** aio_mtouch's flag: dirty the pages (IO::AIO::MT_MODIFY). */
export const MT_MODIFY = 1;
