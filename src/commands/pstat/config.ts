import type { StatCached } from '../../aio/index.js';
import type { JobsArg } from '../../cli/jobs.js';
import type { Shard } from '../../shard/spec.js';
import type { ProgressWhen } from '../../ui/reporter.js';

/** Everything pstat does, decided from its options (see options.ts). */
export interface PstatConfig {
  /** Paths given as arguments; empty: read them from `from` (or stdin). */
  paths: Buffer[];
  /** Read paths from this file ('-' or undefined: stdin) when none are given. */
  from: string | undefined;
  /** Input records end in NUL (-0), else newline. */
  null: boolean;
  /** Output format (GNU stat -c / --printf); undefined with --json. */
  format: string;
  /** The format is --printf's (escapes, no newline added). */
  printf: boolean;
  json: boolean;
  /** stat (follow symlinks, -L) rather than lstat. */
  dereference: boolean;
  /** GNU stat's --cached: may the NFS/FUSE client's attributes answer. */
  cached: StatCached;
  /** Results as they finish, not in input order. */
  unordered: boolean;
  /** Totals on stderr at the end: text, or JSON. */
  summary: 'none' | 'text' | 'json';
  /** libeio threads; undefined: by the first path's filesystem (64 on
   *  NFS, FUSE and the like, 8 on local disks). */
  jobs: JobsArg | undefined;
  /** Stat requests in flight at most; undefined: two per thread. */
  maxOutstanding: number | undefined;
  /** Paths per stat request; undefined: by the first path's filesystem
   *  (8 on NFS, FUSE and the like, so that every thread has some; 128 on
   *  local disks). */
  batch: number | undefined;
  /** Progress on stderr (-p, --progress). */
  progress: ProgressWhen;
  /** Only the paths of this share (--shard). */
  shard: Shard | undefined;
}
