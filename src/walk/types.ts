import type { IoaioError, Stats } from '../aio/index.js';

/** What to walk and how; filled from a command's Config. */
export interface WalkOptions {
  /** Start paths, as bytes (any name the kernel allows). */
  roots: Buffer[];
  /** Where each root sits in a bigger tree, when it is a shard's share of
   *  one (src/shard/): roots[i]'s depth, its path below the tree's top (for
   *  --exclude), whether it is entered, and the top's device (-x). */
  rootInfo?: RootInfo[];
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
  /** Lines mode: the first this many walk steps return after their first
   *  directory instead of after 20 ms, so -j auto hears from the
   *  filesystem sooner (1 ms/op FUSE: the first 8 steps came back after
   *  25 ms, and only then did the limit leave the local guess). */
  quickStart?: number;
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

export interface RootInfo {
  depth: number;
  /** the path below the tree's top, no trailing slash */
  rel: Buffer;
  /** false: reported only (a directory every shard lists, whose entries are dealt out) */
  descend: boolean;
  /** st_dev of the tree's top (-x) */
  dev: number;
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
