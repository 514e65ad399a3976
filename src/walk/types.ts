import type { IoaioError, Stats } from '../aio/index.js';

/** What to walk and how; filled from a command's Config. */
export interface WalkOptions {
  /** Start paths, as bytes (any name the kernel allows). */
  roots: Buffer[];
  /** Deepest level listed: 0 lists only the roots (find's -maxdepth). */
  maxDepth: number;
  /** Do not descend into directories on another filesystem than their root. */
  oneFileSystem: boolean;
  /** Follow symlinks (stat, not lstat); loops are detected by dev+inode. */
  follow: boolean;
  /** Stat every entry (else only those readdir could not type). */
  statAll: boolean;
  /** Entries (and the trees below them) to skip; the path below the root is
   *  relPrefix + name. */
  exclude?: (name: Buffer, relPrefix: Buffer) => boolean;
  /** Requests in flight at most. */
  maxOutstanding: number;
  /** Worker threads: lines mode runs at most this many walk steps at once. */
  parallel?: number;
  /** libeio priority of the walk's readdirs and stats (-4..4; default 0):
   *  a walk beside other work (cptree's pre-count) can go ahead of it. */
  pri?: number;
  /** Each directory's entries in byte order, depth first (find-like order). */
  sort: boolean;
  /** Perf: set when the sink only prints plain lines: directories are then
   *  listed on libeio's threads as ready-made lines (aio.walkStep) and the
   *  sink gets them in blocks; entries of unknown type still come one by one. */
  lines?: { dirs: boolean; others: boolean; slash: boolean; term: number };
}

/** Where entries go. An entry's path is prefix + src[start, end): nothing is
 *  allocated per entry unless the sink wants it. */
export interface WalkSink {
  entry(prefix: Buffer, src: Buffer, start: number, end: number, type: number, st: Stats | undefined, depth: number): void;
  error(path: Buffer, err: IoaioError | Error): void;
  /** Ready-made lines (with WalkOptions.lines): src[start, end). src is
   *  lent: the sink calls release once it no longer needs it. */
  lines?(src: Buffer, start: number, end: number, release: () => void): void;
}

/** Live counters, read by progress views. */
export interface WalkCounters {
  dirs: number;
  files: number;
  symlinks: number;
  others: number;
  stats: number;
  errors: number;
  inflight: number;
  bytes: number;
}
