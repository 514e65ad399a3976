import type { IoaioError } from '../aio/index.js';
import type { CopyCounters, CopyEvents } from '../copy/index.js';
import type { RemoveCounters, RemoveEvents } from '../remove/index.js';

/** How trees are moved; filled from a command's config (mvtree). */
export interface MoveOptions {
  /** mv -n: an existing destination entry is never replaced (its source stays). */
  noClobber: boolean;
  /** mv -u: an existing destination entry is replaced only by a newer source. */
  newer: boolean;
  /** An existing, non-empty destination directory is merged into entry by entry. */
  merge: boolean;
  /** Decide and report; change nothing. */
  dryRun: boolean;
  /** Globs of entries that stay in the source (and so their directories). */
  exclude: string[];
  /** Across filesystems: what is below mount points in a source stays there. */
  oneFileSystem: boolean;
  /** Across filesystems: make the destination durable (syncfs) before any source entry is removed. */
  sync: boolean;
  /** Across filesystems: copy extended attributes (and ACLs). */
  xattrs: boolean;
  /** libeio threads; requests in flight at most; names per copy request. */
  jobs: number;
  maxOutstanding: number;
  batch: number;
}

/** Live counters, read by progress views and the summary. */
export interface MoveCounters {
  /** roots and entries moved by one rename(2) each */
  renamed: number;
  /** entries that stay where they are by request (-n, -u) */
  kept: number;
  /** failures outside the copy and the removal (refused roots, renames) */
  errors: number;
  /** seconds spent making destinations durable */
  syncSeconds: number;
  /** the cross-filesystem phases' own counters (summed over the roots) */
  copy: CopyCounters;
  remove: RemoveCounters;
  /** 'rename', 'copy', 'sync' or 'remove': what runs now */
  phase: 'rename' | 'copy' | 'sync' | 'remove';
}

/** What a move reports as it goes; paths are full. */
export interface MoveEvents {
  readonly wantsEntries: boolean;
  renamed(src: Buffer, dst: Buffer): void;
  /** an entry that stays in the source by request (-n, -u) */
  kept(src: Buffer, dst: Buffer): void;
  error(path: Buffer, err: IoaioError | Error): void;
  /** events of the copy into one root (paths relative to it) */
  copy(dstRoot: Buffer): CopyEvents;
  /** events of the removal of a moved source */
  remove: RemoveEvents;
}

/** Hooks a command gives for a live view over each cross-filesystem phase
 *  of the root whose source is src. */
export interface MovePhases {
  copy?(counters: CopyCounters, src: Buffer): Promise<{ stop(): Promise<void> } | undefined>;
  remove?(counters: RemoveCounters, src: Buffer): Promise<{ stop(): Promise<void> } | undefined>;
}
