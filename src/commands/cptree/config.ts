import type { Target } from '../../copy/index.js';

/** Everything cptree does, decided from its options (see options.ts). */
export interface CptreeConfig {
  src: string;
  dst: string;
  /** 'into': cp's rule, an existing directory DST gets DST/basename(SRC);
   *  'merge' (-T/--merge): DST itself is the copy, merged into if it exists. */
  target: Target;
  /** --reflink */
  reflink: 'auto' | 'always' | 'never';
  /** --fsync: each file before its rename, its directory after */
  fsync: boolean;
  /** -u: skip entries whose type, size and mtime match */
  update: boolean;
  /** --checksum: skip files whose bytes match */
  checksum: boolean;
  /** -n: report what would be done, write nothing */
  dryRun: boolean;
  /** -X (default) / --no-xattrs */
  xattrs: boolean;
  /** -x */
  oneFileSystem: boolean;
  /** --exclude, repeatable */
  exclude: string[];
  /** -j: libeio threads */
  jobs: number;
  /** requests in flight at most */
  maxOutstanding: number;
  /** names copied by one request at most (1 on network filesystems) */
  batch: number;
  /** -v: a line per entry on stdout (a dry run always lists) */
  verbose: boolean;
  /** --json: NDJSON events on stdout */
  json: boolean;
  /** --summary: counts and time on stderr at the end */
  summary: boolean;
  progress: 'auto' | 'always' | 'never';
}
