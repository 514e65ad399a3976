// readdir results. libeio reports each entry's type (from d_type) and inode
// at no extra cost, so every readdirx entry carries them.
import type { ReqOptions } from './types.js';

/** IO::AIO's readdir flags (libeio's EIO_READDIR_*). */
export const READDIR_DENTS = 0x01;
export const READDIR_DIRS_FIRST = 0x02;
export const READDIR_STAT_ORDER = 0x04;
export const READDIR_FOUND_UNKNOWN = 0x80;

/** Entry types (libeio's EIO_DT_*, the values of d_type). */
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;
export const DT_WHT = 14;

export interface DirEntry<N = string> {
  name: N;
  /** One of the DT_* constants; DT_UNKNOWN when the filesystem does not say. */
  type: number;
  ino: number;
}

export interface ReaddirxResult<N = string> {
  entries: DirEntry<N>[];
  /** The request's flags, with READDIR_FOUND_UNKNOWN set if any type was unknown. */
  flags: number;
}

/** Decodes the readdir payload (layout in ioaio.h). Perf: one pass over a
 *  buffer that came across the FFI boundary in one piece. */
export function decodeReaddir(buf: Buffer, off: number, withTypes: boolean, encoding: ReqOptions['encoding']): ReaddirxResult<string | Buffer> | (string | Buffer)[] {
  const count = buf.readUInt32LE(off);
  const flags = buf.readUInt32LE(off + 8);
  const ents = off + 16;
  const names = ents + count * 16;
  const raw = encoding === 'buffer';
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const e = ents + i * 16;
    const start = names + buf.readUInt32LE(e + 8);
    const end = start + buf.readUInt16LE(e + 12);
    const name = raw ? Buffer.from(buf.subarray(start, end)) : buf.toString('utf8', start, end);
    out[i] = withTypes ? { name, type: buf[e + 14]!, ino: buf.readDoubleLE(e) } : name;
  }
  return withTypes ? { entries: out as DirEntry<string | Buffer>[], flags } : (out as (string | Buffer)[]);
}

/**
 * One directory read as a single buffer, for scanners: names, types and
 * inodes are read in place, with no object or string per entry until asked.
 * Perf: one allocation per directory instead of one per entry.
 */
export class DirBatch {
  /** number of entries */
  readonly count: number;
  /** the request's flags, with READDIR_FOUND_UNKNOWN if any type was unknown */
  readonly flags: number;
  private readonly names: number;

  /** @internal buf holds the readdir payload (layout in ioaio.h) */
  constructor(readonly buf: Buffer) {
    this.count = buf.readUInt32LE(0);
    this.flags = buf.readUInt32LE(8);
    this.names = 16 + this.count * 16;
  }

  /** Byte offset in buf where entry i's name starts. */
  nameStart(i: number): number {
    return this.names + this.buf.readUInt32LE(16 + i * 16 + 8);
  }

  /** Byte offset in buf where entry i's name ends. */
  nameEnd(i: number): number {
    const e = 16 + i * 16;
    return this.names + this.buf.readUInt32LE(e + 8) + this.buf.readUInt16LE(e + 12);
  }

  /** DT_* type of entry i. */
  type(i: number): number {
    return this.buf[16 + i * 16 + 14]!;
  }

  ino(i: number): number {
    return this.buf.readDoubleLE(16 + i * 16);
  }

  /** Entry i's name as raw bytes (a view into buf). */
  nameBytes(i: number): Buffer {
    return this.buf.subarray(this.nameStart(i), this.nameEnd(i));
  }

  /** Entry i's name decoded as UTF-8. */
  name(i: number): string {
    return this.buf.toString('utf8', this.nameStart(i), this.nameEnd(i));
  }
}
