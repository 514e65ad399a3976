// statBatch with GNU `stat -c` lines built on the worker thread
// (native/src/statfmt.c): for pstat's plain formats, where turning doubles
// into text on the main thread cost more than the stat itself.
import { toInt } from '../args.js';
import { argError } from '../errors.js';
import { define, getLoop } from '../issue.js';
import { K } from '../native/kinds.js';
import { cachedFlag, type StatCached } from './statbatch.js';

/** Line program codes (enum in ioaio.h): a literal, or one byte per directive. */
export const FMT_LIT = 1;
export const FMT_DEV_MAJOR = 2;
export const FMT_DEV_MINOR = 3;
export const FMT_RDEV_MAJOR = 4;
export const FMT_RDEV_MINOR = 5;
/** The GNU directives the worker renders itself (without flags, width or precision). */
export const FMT_NATIVE_DIRECTIVES = 'nsbBoihugfaAFdDrRtTUGXYZWxyzw';

const HEAD = 32; // struct ioaio_statfmt_head

/** statFormat's failures for paths that were empty or held a NUL (newline
 *  records): above every errno (IOAIO_ERR_* in ioaio.h). */
export const ERR_EMPTY = 0x10001;
export const ERR_NUL = 0x10002;

/** The results of one statFormat, in the order of its paths. */
export class StatLines {
  /** @internal */
  constructor(
    private readonly head: DataView,
    /** per failure: index, errno, and the path's start and end in `raw` */
    private readonly errs: number[],
    private readonly raw: Buffer,
    /** the lines of the paths that worked, in order */
    readonly text: Buffer,
  ) {}

  /** Paths that failed. */
  get errors(): number { return this.errs.length >> 2; }
  /** Index (among the request's paths), errno (or ERR_EMPTY / ERR_NUL) and path of failure k. */
  errorIndex(k: number): number { return this.errs[4 * k]!; }
  errorErrno(k: number): number { return this.errs[4 * k + 1]!; }
  errorPath(k: number): Buffer { return this.raw.subarray(this.errs[4 * k + 2]!, this.errs[4 * k + 3]!); }
  /** Paths that worked, by type, and the regular files' total size. */
  get dirs(): number { return this.head.getUint32(4, true); }
  get files(): number { return this.head.getUint32(8, true); }
  get symlinks(): number { return this.head.getUint32(12, true); }
  get others(): number { return this.head.getUint32(16, true); }
  get bytes(): number { return this.head.getFloat64(24, true); }
}

/** Builds a line program: literals (latin1 strings: one char per byte) and directive codes. */
export function fmtProgram(parts: (string | number)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (typeof p === 'number') {
      chunks.push(Buffer.of(p));
      continue;
    }
    for (let i = 0; i < p.length; i += 0xffff) {
      const lit = Buffer.from(p.slice(i, i + 0xffff), 'latin1');
      const h = Buffer.alloc(3);
      h[0] = FMT_LIT;
      h.writeUInt16LE(lit.length, 1);
      chunks.push(h, lit);
    }
  }
  return Buffer.concat(chunks);
}

/**
 * statBatch's paths (NUL-terminated, back to back), with each path that
 * worked rendered by `program` (fmtProgram) on the worker. Per-path failures
 * are errorIndex/errorErrno/errorPath, not a rejection; follow, dirCache and
 * cached as statBatch's. With newline, each path ends in '\\n' instead (input
 * as read): an empty one fails as ERR_EMPTY, one holding a NUL as ERR_NUL.
 */
export const statFormat = define<[program: Buffer, paths: Buffer, count: number, follow?: boolean, dirCache?: number, cached?: StatCached, newline?: boolean], StatLines>((a) => {
  const l = getLoop();
  const [program, paths, count] = a as [Buffer, Buffer, number];
  if (!(program instanceof Uint8Array) || program.length === 0) throw argError('program', 'a non-empty Buffer (fmtProgram)', program);
  const newline = a[6] === true;
  if (!(paths instanceof Uint8Array) || paths.length === 0 || paths[paths.length - 1] !== (newline ? 0x0a : 0)) {
    throw argError('paths', `a non-empty Buffer of ${newline ? 'newline' : 'NUL'}-terminated paths`, paths);
  }
  if (!Number.isInteger(count) || count < 1 || count > paths.length) throw argError('count', `an integer from 1 to ${paths.length}`, count);
  const follow = a[3] === true ? 1 : 0;
  const cache = a[4] === undefined ? 0 : toInt(a[4], 'dirCache', 0, 0x7fffffff);
  const flags = follow | cachedFlag(a[5]) | (newline ? 8 : 0); // IOAIO_SB_SEP_NL
  return {
    kind: K.STATBATCH,
    syscall: follow ? 'stat' : 'lstat',
    keep: [program, paths],
    submit: (pri) => l.native.reqStatFmt(l.ctx, pri, flags, cache, program, program.length, paths, paths.length, count),
    decode: (p) => {
      // Copied: the payload view is reused by the next record.
      const own = p.owned ? p.buf.subarray(p.off, p.off + p.result) : Buffer.from(p.buf.subarray(p.off, p.off + p.result));
      const head = new DataView(own.buffer, own.byteOffset, HEAD);
      const nerr = head.getUint32(0, true);
      const errs: number[] = [];
      let o = HEAD;
      for (let k = 0; k < nerr; k++) {
        const len = own.readUInt32LE(o + 8);
        errs.push(own.readUInt32LE(o), own.readUInt32LE(o + 4), o + 16, o + 16 + len);
        o += 16 + ((len + 3) & ~3);
      }
      return new StatLines(head, errs, own, own.subarray(o));
    },
  };
});
