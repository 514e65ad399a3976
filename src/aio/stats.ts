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
    return this;
  }

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
