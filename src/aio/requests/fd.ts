// Requests on open file descriptors.
import { toBuffer, toFd, toId, toInt } from '../args.js';
import { define, getLoop, type BigintForms, type Call } from '../issue.js';
import { K } from '../native/kinds.js';
import type { Spec } from '../req.js';
import type { BigIntStats, StatVfs, Stats } from '../stats.js';
import { statDecoder, decodeStatVfs, decodeVoid, fdSpec } from './specs.js';
import { toTimes, type TimeArg } from './times.js';

/** close(2). */
export const close = define<[fd: number], void>((a) => fdSpec(K.CLOSE, 'close', toFd(a[0]), 0, 0, 0, decodeVoid));

/** lseek(2); resolves to the new offset. whence: 0 SET, 1 CUR, 2 END, 3 DATA, 4 HOLE. */
export const seek = define<[fd: number, offset: number, whence: number], number>((a) =>
  fdSpec(K.SEEK, 'seek', toFd(a[0]), toInt(a[1], 'offset'), toInt(a[2] ?? 0, 'whence', 0, 4)),
);

function ioSpec(kind: number, syscall: string, a: unknown[]): Spec<number> {
  const fd = toFd(a[0]);
  const buf = toBuffer(a[1]);
  const pos = a[2] === undefined || a[2] === null ? -1 : toInt(a[2], 'position', -1);
  const l = getLoop();
  // The buffer stays referenced by the request (keep) until it completes:
  // libeio's thread writes straight into its memory, no copy.
  return { kind, syscall, keep: buf, submit: (pri) => l.native.reqBuf(l.ctx, kind, pri, fd, buf, buf.byteLength, pos) };
}

/** pread(2) into all of buf (pass buf.subarray() for part); position null or -1: the fd's offset. Resolves to bytes read. */
export const read = define<[fd: number, buf: Uint8Array, position?: number | null], number>((a) => ioSpec(K.READ, 'read', a));

/** pwrite(2) of all of buf; resolves to bytes written. */
export const write = define<[fd: number, buf: Uint8Array, position?: number | null], number>((a) => ioSpec(K.WRITE, 'write', a));

/** sendfile(2) (with a read/write fallback); resolves to bytes copied. */
export const sendfile = define<[outFd: number, inFd: number, inOffset: number, length: number], number>((a) =>
  fdSpec(K.SENDFILE, 'sendfile', toFd(a[0], 'outFd'), toFd(a[1], 'inFd'), toInt(a[2], 'inOffset', 0), toInt(a[3], 'length', 0)),
);

/** readahead(2). */
export const readahead = define<[fd: number, offset: number, length: number], void>((a) =>
  fdSpec(K.READAHEAD, 'readahead', toFd(a[0]), toInt(a[1], 'offset', 0), toInt(a[2], 'length', 0), 0, decodeVoid),
);

export const fstat = define<[fd: number], Stats>((a, o) => fdSpec<Stats>(K.FSTAT, 'fstat', toFd(a[0]), 0, 0, 0, statDecoder(o.bigint))) as BigintForms<[fd: number], BigIntStats> & Call<[fd: number], Stats>;
export const fstatvfs = define<[fd: number], StatVfs>((a) => fdSpec(K.FSTATVFS, 'fstatvfs', toFd(a[0]), 0, 0, 0, decodeStatVfs));

export const ftruncate = define<[fd: number, length: number], void>((a) =>
  fdSpec(K.FTRUNCATE, 'ftruncate', toFd(a[0]), toInt(a[1], 'length', 0), 0, 0, decodeVoid),
);
export const fchmod = define<[fd: number, mode: number], void>((a) =>
  fdSpec(K.FCHMOD, 'fchmod', toFd(a[0]), toInt(a[1], 'mode', 0, 0o7777), 0, 0, decodeVoid),
);
/** fchown(2); -1, null or undefined leaves the id unchanged (IO::AIO's undef). */
export const fchown = define<[fd: number, uid: number | null | undefined, gid: number | null | undefined], void>((a) =>
  fdSpec(K.FCHOWN, 'fchown', toFd(a[0]), toId(a[1], 'uid'), toId(a[2], 'gid'), 0, decodeVoid),
);

/** futimens(2). Each time: seconds (number), nanoseconds (bigint, exact), a Date, or null for now. */
export const futime = define<[fd: number, atime: TimeArg, mtime: TimeArg], void>((a) => {
  const fd = toFd(a[0]);
  const [as, ans, ms, mns] = toTimes(a[1], a[2]);
  const l = getLoop();
  return { kind: K.FUTIME, syscall: 'futime', decode: decodeVoid, submit: (pri) => l.native.reqTime(l.ctx, K.FUTIME, pri, 0, null, fd, as, ans, ms, mns) };
});

/** fallocate(2): mode is FALLOC_FL_* (0 allocates and extends). */
export const allocate = define<[fd: number, mode: number, offset: number, length: number], void>((a) =>
  fdSpec(K.ALLOCATE, 'allocate', toFd(a[0]), toInt(a[1], 'mode', 0), toInt(a[2], 'offset', 0), toInt(a[3], 'length', 0), decodeVoid),
);

export const fsync = define<[fd: number], void>((a) => fdSpec(K.FSYNC, 'fsync', toFd(a[0]), 0, 0, 0, decodeVoid));
export const fdatasync = define<[fd: number], void>((a) => fdSpec(K.FDATASYNC, 'fdatasync', toFd(a[0]), 0, 0, 0, decodeVoid));
export const syncfs = define<[fd: number], void>((a) => fdSpec(K.SYNCFS, 'syncfs', toFd(a[0]), 0, 0, 0, decodeVoid));

/** sync_file_range(2); flags are SYNC_FILE_RANGE_* (1 WAIT_BEFORE, 2 WRITE, 4 WAIT_AFTER). */
export const syncFileRange = define<[fd: number, offset: number, nbytes: number, flags: number], void>((a) => {
  const flags = toInt(a[3], 'flags', 0, 7);
  return fdSpec(K.SYNC_FILE_RANGE, 'sync_file_range', toFd(a[0]), toInt(a[1], 'offset', 0), toInt(a[2], 'nbytes', 0), flags, decodeVoid);
});

/** One extent of a file (FS_IOC_FIEMAP), in bytes; flags: FIEMAP_EXTENT_*. */
export interface Extent {
  logical: number;
  physical: number;
  length: number;
  flags: number;
}

/**
 * IO::AIO's aio_fiemap: the extents of [start, start + length) of fd
 * (length null or undefined: to the end), flags FIEMAP_FLAG_SYNC and/or
 * FIEMAP_FLAG_XATTR. count: at most that many; null or undefined, all of
 * them; 0, as in IO::AIO, the number of extents instead (resolves to a
 * number). Extents are objects here, where IO::AIO gives
 * [logical, physical, length, flags] arrays.
 */
export const fiemap = define<[fd: number, start: number, length?: number | null, flags?: number, count?: number | null], Extent[] | number>((a) => {
  const fd = toFd(a[0]);
  const start = toInt(a[1] ?? 0, 'start', 0);
  const length = a[2] === null || a[2] === undefined ? -1 : toInt(a[2], 'length', 0);
  const flags = toInt(a[3] ?? 0, 'flags', 0, 0xffffffff);
  // at most 2^20 extents (native/src/fiemap.c): flags + count * 2^32 stays exact in a double
  const count = a[4] === null || a[4] === undefined ? 0 : toInt(a[4], 'count', 0, 1 << 20);
  const onlyCount = a[4] === 0;
  const packed = flags + (onlyCount ? 2 ** 21 - 1 : count) * 2 ** 32;
  return fdSpec<Extent[] | number>(K.FIEMAP, 'fiemap', fd, start, length, packed, (p) => {
    const f = p.f64;
    const o = p.off >> 3;
    const n = f[o]!;
    if (onlyCount) return n;
    const out: Extent[] = [];
    for (let i = 0; i < n; i++) out.push({ logical: f[o + 1 + 4 * i]!, physical: f[o + 2 + 4 * i]!, length: f[o + 3 + 4 * i]!, flags: f[o + 4 + 4 * i]! });
    return out;
  });
});
