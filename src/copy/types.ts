import type { IoaioError } from '../aio/index.js';
import type { Shard } from '../shard/spec.js';

/** How a tree is copied; filled from a command's config (cptree, later mvtree). */
export interface CopyOptions {
  /** FICLONE: 'auto' where the filesystem can, 'always' or fail, 'never'. */
  reflink: 'auto' | 'always' | 'never';
  /** fsync every file before its rename and its directory after. */
  fsync: boolean;
  /** Skip entries whose destination has the same type, size and mtime. */
  update: boolean;
  /** mv -n: an existing destination entry that is not up to date is kept
   *  (not replaced); with track, its source is listed as unmoved. */
  noClobber?: boolean;
  /** mv -u: an existing destination entry is replaced only by a source
   *  with a later mtime; else kept, as noClobber. */
  newer?: boolean;
  /** List in TreeCopier.unmoved the entries whose source must stay (failed,
   *  kept, excluded dirs are not listed: the caller has their globs). */
  track?: boolean;
  /** Skip the data of files whose destination has the same bytes. */
  checksum: boolean;
  /** Decide and report, write nothing. */
  dryRun: boolean;
  /** Directories that exist in the destination keep their metadata: it was
   *  set by a copy that finished, and the source's has changed since (a
   *  move resumed while removing its source, whose unlinks moved the source
   *  directories' mtimes). */
  keepExistingDirMeta?: boolean;
  /** --delete: remove what the destination has and the source does not
   *  ('excluded': --delete-excluded, what --exclude leaves out too). */
  delete?: 'extra' | 'excluded';
  /** the --exclude globs (--delete keeps, below a removed directory, what they leave out) */
  excludeGlobs?: readonly string[];
  /** Copy extended attributes (and so POSIX ACLs). */
  xattrs: boolean;
  /** Do not descend into directories on another filesystem (they are made empty). */
  oneFileSystem: boolean;
  /** Entries (and what is below them) to leave out; path below the root is relPrefix + name. */
  exclude?: (name: Buffer, relPrefix: Buffer) => boolean;
  /** Requests in flight at most. */
  maxOutstanding: number;
  /** Names copied by one request at most (a directory of 8 names or fewer
   *  gets a request per name, so a few big files still go in parallel). */
  batch: number;
  /** --shard: copy only this shard's share (src/shard/partition.ts): the
   *  directories above the cut are made by every shard and get their
   *  metadata from the finalize step, not here. */
  share?: CopyShare;
}

export interface CopyShare {
  shard: Shard;
  cut: number;
  /** the directories above the cut (paths below the root, latin1), as the
   *  plan found them: one whose type readdir did not tell is one too */
  shared: Set<string>;
}

export type EntryType = 'dir' | 'file' | 'symlink' | 'other';
export type Action = 'copy' | 'skip' | 'link' | 'mkdir' | 'keep';

/** What a copy reports as it goes; paths are relative to the copy's root ('' for the root). */
export interface CopyEvents {
  /** Set when entry() wants to be called (it costs a path per entry). */
  readonly wantsEntries: boolean;
  entry(action: Action, type: EntryType, rel: Buffer, bytes: number): void;
  error(path: Buffer, err: IoaioError | Error): void;
  /** An entry listed in the source was gone when its copy began (removed or
   *  renamed meanwhile, as rsync's "file has vanished"): not an error. */
  vanished(path: Buffer): void;
  /** An entry --delete removed (would remove, in a dry run); full path. */
  deleted?(type: EntryType, path: Buffer): void;
}

/** Live counters, read by progress views and the summary. */
export interface CopyCounters {
  dirs: number;
  files: number;
  symlinks: number;
  others: number;
  /** hard links made to an earlier copy */
  links: number;
  /** entries found up to date (--update, --checksum) */
  skipped: number;
  /** existing destination entries kept, not replaced (noClobber, newer) */
  kept: number;
  /** bytes of the regular files copied */
  bytes: number;
  errors: number;
  /** destination entries --delete removed (would remove, in a dry run) */
  deleted: number;
  /** entries gone from the source between its listing and their copy */
  vanished: number;
  inflight: number;
  /** files and bytes in the source, from a pre-count (-1 while unknown) */
  totalFiles: number;
  totalBytes: number;
  /** the entry started last, for the progress view (its path is built only when shown) */
  current: { dir: { rel: Buffer }; name: Buffer } | undefined;
}

export function newCopyCounters(): CopyCounters {
  return { dirs: 0, files: 0, symlinks: 0, others: 0, links: 0, skipped: 0, kept: 0, bytes: 0, errors: 0, deleted: 0, vanished: 0, inflight: 0, totalFiles: -1, totalBytes: -1, current: undefined };
}
