// Stat results, decoded from the f64 fields the native core writes (see
// enum ioaio_stat_field). Seconds and nanoseconds are kept apart so no
// precision is lost; the *Ms and Date forms are derived on demand.
import { constants } from 'node:fs';

const S_IFMT = constants.S_IFMT;

export class Stats {
  dev!: number; ino!: number; mode!: number; nlink!: number; uid!: number; gid!: number;
  rdev!: number; size!: number; blksize!: number; blocks!: number;
  atimeSec!: number; atimeNsec!: number; mtimeSec!: number; mtimeNsec!: number;
  ctimeSec!: number; ctimeNsec!: number;
  /** Birth time, or -1 where the filesystem or kernel does not report it. */
  birthtimeSec!: number; birthtimeNsec!: number;
  // ino and size in exact 32-bit halves (ino and size above round past 2^53)
  private inoHi!: number; private inoLo!: number; private sizeHi!: number; private sizeLo!: number;

  constructor(f: Float64Array, i: number) {
    this.load(f, i);
  }

  /** Refills this object from another result (f, i as for the constructor).
   *  Perf: a caller that handles one result at a time reuses one object. */
  load(f: Float64Array, i: number): this {
    this.dev = f[i]!; this.ino = f[i + 1]!; this.mode = f[i + 2]!; this.nlink = f[i + 3]!;
    this.uid = f[i + 4]!; this.gid = f[i + 5]!; this.rdev = f[i + 6]!; this.size = f[i + 7]!;
    this.blksize = f[i + 8]!; this.blocks = f[i + 9]!;
    this.atimeSec = f[i + 10]!; this.atimeNsec = f[i + 11]!;
    this.mtimeSec = f[i + 12]!; this.mtimeNsec = f[i + 13]!;
    this.ctimeSec = f[i + 14]!; this.ctimeNsec = f[i + 15]!;
    this.birthtimeSec = f[i + 16]!; this.birthtimeNsec = f[i + 17]!;
    this.inoHi = f[i + 18]!; this.inoLo = f[i + 19]!; this.sizeHi = f[i + 20]!; this.sizeLo = f[i + 21]!;
    return this;
  }

  /** The inode number exactly (ino is a double: above 2^53 it is rounded,
   *  as 64-bit inode numbers on NFS, btrfs or overlayfs can be). */
  get inoExact(): bigint { return (BigInt(this.inoHi) << 32n) | BigInt(this.inoLo); }
  /** The size exactly (a sparse file can claim up to 2^63 bytes). */
  get sizeExact(): bigint { return (BigInt(this.sizeHi) << 32n) | BigInt(this.sizeLo); }
  /** Whether ino or size is beyond what a double holds exactly. */
  get needsBigint(): boolean { return this.inoHi >= 0x200000 || this.sizeHi >= 0x200000; }

  get atimeMs(): number { return this.atimeSec * 1e3 + this.atimeNsec / 1e6; }
  get mtimeMs(): number { return this.mtimeSec * 1e3 + this.mtimeNsec / 1e6; }
  get ctimeMs(): number { return this.ctimeSec * 1e3 + this.ctimeNsec / 1e6; }
  get birthtimeMs(): number { return this.birthtimeSec < 0 ? -1 : this.birthtimeSec * 1e3 + this.birthtimeNsec / 1e6; }
  /** Exact nanoseconds since the epoch. */
  get atimeNs(): bigint { return BigInt(this.atimeSec) * 1_000_000_000n + BigInt(this.atimeNsec); }
  get mtimeNs(): bigint { return BigInt(this.mtimeSec) * 1_000_000_000n + BigInt(this.mtimeNsec); }
  get ctimeNs(): bigint { return BigInt(this.ctimeSec) * 1_000_000_000n + BigInt(this.ctimeNsec); }
  get atime(): Date { return new Date(this.atimeMs); }
  get mtime(): Date { return new Date(this.mtimeMs); }
  get ctime(): Date { return new Date(this.ctimeMs); }
  get birthtime(): Date | undefined { return this.birthtimeSec < 0 ? undefined : new Date(this.birthtimeMs); }
  /** Whether the kernel reported a birth time. */
  get hasBirthtime(): boolean { return this.birthtimeSec >= 0; }

  isFile(): boolean { return (this.mode & S_IFMT) === constants.S_IFREG; }
  isDirectory(): boolean { return (this.mode & S_IFMT) === constants.S_IFDIR; }
  isSymbolicLink(): boolean { return (this.mode & S_IFMT) === constants.S_IFLNK; }
  isFIFO(): boolean { return (this.mode & S_IFMT) === constants.S_IFIFO; }
  isSocket(): boolean { return (this.mode & S_IFMT) === constants.S_IFSOCK; }
  isCharacterDevice(): boolean { return (this.mode & S_IFMT) === constants.S_IFCHR; }
  isBlockDevice(): boolean { return (this.mode & S_IFMT) === constants.S_IFBLK; }
}

/** Stats with every number a bigint, exact, as Node's fs.BigIntStats
 *  (`{ bigint: true }` on stat, lstat and fstat). */
export class BigIntStats {
  dev: bigint; ino: bigint; mode: bigint; nlink: bigint; uid: bigint; gid: bigint;
  rdev: bigint; size: bigint; blksize: bigint; blocks: bigint;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint;
  /** -1n where the filesystem or kernel does not report a birth time. */
  birthtimeNs: bigint;

  constructor(st: Stats) {
    const ns = (sec: number, nsec: number) => BigInt(sec) * 1_000_000_000n + BigInt(nsec);
    this.dev = BigInt(st.dev); this.ino = st.inoExact; this.mode = BigInt(st.mode); this.nlink = BigInt(st.nlink);
    this.uid = BigInt(st.uid); this.gid = BigInt(st.gid); this.rdev = BigInt(st.rdev); this.size = st.sizeExact;
    this.blksize = BigInt(st.blksize); this.blocks = BigInt(st.blocks);
    this.atimeNs = ns(st.atimeSec, st.atimeNsec); this.mtimeNs = ns(st.mtimeSec, st.mtimeNsec); this.ctimeNs = ns(st.ctimeSec, st.ctimeNsec);
    this.birthtimeNs = st.birthtimeSec < 0 ? -1n : ns(st.birthtimeSec, st.birthtimeNsec);
  }

  get atimeMs(): bigint { return this.atimeNs / 1_000_000n; }
  get mtimeMs(): bigint { return this.mtimeNs / 1_000_000n; }
  get ctimeMs(): bigint { return this.ctimeNs / 1_000_000n; }
  get birthtimeMs(): bigint { return this.birthtimeNs < 0n ? -1n : this.birthtimeNs / 1_000_000n; }
  get atime(): Date { return new Date(Number(this.atimeMs)); }
  get mtime(): Date { return new Date(Number(this.mtimeMs)); }
  get ctime(): Date { return new Date(Number(this.ctimeMs)); }
  get birthtime(): Date | undefined { return this.birthtimeNs < 0n ? undefined : new Date(Number(this.birthtimeMs)); }

  private type(): number { return Number(this.mode) & S_IFMT; }
  isFile(): boolean { return this.type() === constants.S_IFREG; }
  isDirectory(): boolean { return this.type() === constants.S_IFDIR; }
  isSymbolicLink(): boolean { return this.type() === constants.S_IFLNK; }
  isFIFO(): boolean { return this.type() === constants.S_IFIFO; }
  isSocket(): boolean { return this.type() === constants.S_IFSOCK; }
  isCharacterDevice(): boolean { return this.type() === constants.S_IFCHR; }
  isBlockDevice(): boolean { return this.type() === constants.S_IFBLK; }
}

/** statvfs(3) fields. */
export class StatVfs {
  bsize: number; frsize: number; blocks: number; bfree: number; bavail: number;
  files: number; ffree: number; favail: number; fsid: number; flag: number; namemax: number;

  constructor(f: Float64Array, i: number) {
    this.bsize = f[i]!; this.frsize = f[i + 1]!; this.blocks = f[i + 2]!; this.bfree = f[i + 3]!;
    this.bavail = f[i + 4]!; this.files = f[i + 5]!; this.ffree = f[i + 6]!; this.favail = f[i + 7]!;
    this.fsid = f[i + 8]!; this.flag = f[i + 9]!; this.namemax = f[i + 10]!;
  }
}
