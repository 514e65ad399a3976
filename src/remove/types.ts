import type { IoaioError, RmEntryType, RmtreeCounts } from '../aio/index.js';

/** How a tree is removed; filled from a command's config (rmtree, later mvtree). */
export interface RemoveOptions {
  /** A missing PATH is not an error (rm -f). */
  force: boolean;
  /** Do not descend into (nor remove) directories on another filesystem. */
  oneFileSystem: boolean;
  /** Globs of entries to keep, as cptree's --exclude. */
  exclude: string[];
  dryRun: boolean;
  /** Paths below the root to keep, byte for byte (what a move could not move). */
  keep?: readonly Buffer[];
  /** libeio threads working on the tree at once (asked again before each
   *  step when a function: -j auto moves it). */
  jobs: number | (() => number);
  /** roots removed at once (default 1: each tree gets all the threads) */
  rootsAtOnce?: number;
}

export type RemoveAction = 'remove' | 'rmdir';

/** What a removal reports as it goes; paths are full (PATH + below it). */
export interface RemoveEvents {
  /** Set when entry() wants to be called (it costs a path per entry). */
  readonly wantsEntries: boolean;
  entry(action: RemoveAction, type: RmEntryType, path: Buffer): void;
  error(path: Buffer, err: IoaioError | Error): void;
  /** A directory on another filesystem, left whole (-x). */
  left(path: Buffer): void;
}

/** Live counters, read by progress views and the summary: the library's
 *  counts (files, dirs, symlinks, others, errors, left, kept) and the run's. */
export interface RemoveCounters extends RmtreeCounts {
  /** work requests in flight */
  inflight: number;
  /** entries in the trees, from a pre-count (-1 while unknown) */
  total: number;
}

export function newRemoveCounters(): RemoveCounters {
  return { files: 0, dirs: 0, symlinks: 0, others: 0, errors: 0, left: 0, kept: 0, inflight: 0, total: -1 };
}

export function removedCount(c: RemoveCounters): number {
  return c.files + c.dirs + c.symlinks + c.others;
}
