// IO::AIO's mmap family over Buffers: mmap returns a Buffer that views the
// mapping itself (no copy); msync and mtouch are requests; munmap, madvise
// and mprotect are synchronous, as in IO::AIO.
//
// Safety (see native/src/mmap.c): a view of native memory cannot be
// detached in Node 20, so a Buffer outlives any munmap. munmap therefore
// puts anonymous zero pages over the range in place (the file's pages are
// dropped, the Buffer reads zeros, writes go nowhere) and the address range
// is unmapped for real once the last Buffer over it is garbage collected.
// mremap never lets the kernel move a mapping away from an old Buffer.
// mprotect is as dangerous as in C: touching a PROT_NONE page kills the
// process (SIGSEGV), as it would Perl.
import { checkErrno, IoaioError } from '../errors.js';
import { toBufRange, toInt } from '../args.js';
import { define } from '../issue.js';
import { loadNative } from '../native/binding.js';
import { K } from '../native/kinds.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED } from '../constants.js';
import { memRequest } from './mem.js';
import { constants } from 'node:os';

const errnos = constants.errno;

/** A mapped range; views of it (Buffers) share it, and it is unmapped for
 *  real once the last is collected. size: what the mapping holds now;
 *  span: what is reserved (a shrink in place keeps its tail covered). */
interface Region {
  addr: object;
  size: number;
  span: number;
  views: number;
  retired: boolean;
  /** private anonymous: mremap may move it by copying */
  anonPrivate: boolean;
  prot: number;
}

const regions = new WeakMap<ArrayBuffer, Region>();
const reaper = new FinalizationRegistry<Region>((r) => {
  if (--r.views === 0) loadNative().munmap(r.addr, r.span);
});

function viewOf(r: Region, len: number): Buffer {
  const ab = loadNative().view(r.addr, len);
  regions.set(ab, r);
  r.views++;
  reaper.register(ab, r);
  return Buffer.from(ab);
}

function newRegion(len: number, prot: number, flags: number, fd: number, offset: number): Region {
  const err = new Int32Array(1);
  const addr = loadNative().mmap(len, prot, flags, fd, offset, err);
  if (!addr) throw new IoaioError({ errno: err[0]!, syscall: 'mmap' });
  return { addr, size: len, span: len, views: 0, retired: false, anonPrivate: (flags & MAP_ANONYMOUS) !== 0 && (flags & (MAP_SHARED | MAP_PRIVATE)) === MAP_PRIVATE, prot };
}

/**
 * mmap(2) of length bytes: a Buffer over the mapping. prot PROT_*, flags
 * MAP_* (MAP_SHARED or MAP_PRIVATE, MAP_ANONYMOUS with fd -1 …), offset a
 * multiple of the page size.
 */
export function mmap(length: number, prot: number, flags: number, fd = -1, offset = 0): Buffer {
  const len = toInt(length, 'length', 1);
  const r = newRegion(len, toInt(prot, 'prot', 0, 0xff), toInt(flags, 'flags', 0, 0x7fffffff), toInt(fd, 'fd', -1, 0x7fffffff), toInt(offset, 'offset', 0));
  return viewOf(r, len);
}

function regionOf(buf: unknown, syscall: string): Region {
  const r = buf instanceof Uint8Array ? regions.get(buf.buffer as ArrayBuffer) : undefined;
  if (!r || r.retired) throw new IoaioError({ errno: errnos.EINVAL, syscall }); // not a live mapping made by aio.mmap
  return r;
}

/** munmap: the mapping's pages go (msync first if shared changes must be
 *  on disk now); every Buffer over it then reads zeros until collected. */
export function munmap(buf: Uint8Array): void {
  const r = regionOf(buf, 'munmap');
  checkErrno(loadNative().mmapRetire(r.addr, r.span), 'munmap');
  r.retired = true;
}

/**
 * IO::AIO's mremap: a Buffer over the mapping at its new length (the old
 * Buffer stays valid where the mapping stayed put). flags 0 resizes in
 * place; MREMAP_MAYMOVE (the default, as IO::AIO) also lets a private
 * anonymous mapping move, by copying, when it cannot grow where it is, and
 * the old Buffer then reads zeros. A file or shared mapping that cannot grow
 * in place fails with ENOMEM rather than leave an old Buffer over a hole
 * (a kernel move would; MREMAP_DONTUNMAP, which would not, the kernel
 * refuses for these mappings).
 */
export function mremap(buf: Uint8Array, newLength: number, flags = 1): Buffer {
  const r = regionOf(buf, 'mremap');
  const len = toInt(newLength, 'newLength', 1);
  const f = toInt(flags, 'flags', 0, 1);
  const n = loadNative();
  const err = new Int32Array(1);
  const p = n.mremap(r.addr, r.size, len, 0, err);
  if (p) {
    r.size = len;
    r.span = Math.max(r.span, len);
    return viewOf(r, len);
  }
  if (!(f & 1) || err[0] !== 12 || !r.anonPrivate) throw new IoaioError({ errno: err[0]!, syscall: 'mremap' });
  // move by copy: a new private anonymous mapping, the old one retired
  const moved = newRegion(len, r.prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const out = viewOf(moved, len);
  out.set(Buffer.from(n.view(r.addr, Math.min(r.size, len))));
  checkErrno(n.mmapRetire(r.addr, r.span), 'mremap');
  r.retired = true;
  return out;
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
  const p = toBufRange(buf, offset, length);
  checkErrno(loadNative().madvise(p, p.byteLength, toInt(advice, 'advice', 0, 100)), 'madvise');
}

/** mprotect(2) of buf[offset, offset + length): PROT_*; page-aligned start. Touching a page it made inaccessible kills the process. */
export function mprotect(buf: Uint8Array, offset: number, length: number | null | undefined, prot: number): void {
  const p = toBufRange(buf, offset, length);
  checkErrno(loadNative().mprotect(p, p.byteLength, toInt(prot, 'prot', 0, 0xff)), 'mprotect');
}

/** aio_mtouch's flag: dirty the pages (IO::AIO::MT_MODIFY). */
export const MT_MODIFY = 1;
