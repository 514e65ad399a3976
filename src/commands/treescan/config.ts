import type { Shard } from '../../shard/spec.js';

/** Everything treescan does, decided from its options (see options.ts). */
export interface TreescanConfig {
  /** Start paths, raw bytes; "." when none was given. */
  paths: Buffer[];
  /** Print nothing (-q): for the side effects (stat cache, sync). */
  quiet: boolean;
  /** NUL after each path instead of a newline (-0). */
  print0: boolean;
  /** Stat every entry (-s); its fields go into --json and --summary. */
  stat: boolean;
  /** List only directories (-d) / only non-directories (-f). */
  dirsOnly: boolean;
  filesOnly: boolean;
  /** Live view or periodic line on stderr: -p is 'always'. */
  progress: 'auto' | 'always' | 'never';
  /** open/fsync/close every file and directory (--sync). */
  sync: boolean;
  /** Only paths matching this (-g, JS RegExp with the s flag). */
  grep: RegExp | undefined;
  /** libeio threads (-j N), or the start of -j auto's. */
  jobs: number;
  /** -j auto: adapted while running (jobs.ts). */
  auto: boolean;
  /** Requests in flight at most (--max-outstanding, else 4 x the threads, following -j auto). */
  maxOutstanding: number;
  /** --max-outstanding was given: it stays as it is. */
  fixedOutstanding: boolean;
  /** One JSON object per entry (--json). */
  json: boolean;
  /** Deepest level listed; roots are level 0 (--max-depth, as find's -maxdepth). */
  maxDepth: number;
  /** Stay on the roots' filesystems (-x). */
  oneFileSystem: boolean;
  /** Follow symlinks (-L). */
  follow: boolean;
  /** Globs of entries to skip, with everything below them (--exclude). */
  exclude: string[];
  /** Sorted, depth-first output, streamed directory by directory (--sort). */
  sort: boolean;
  /** Counts and time on stderr at the end (--summary, --summary-json). */
  summary: 'none' | 'text' | 'json';
  /** Only this share of the trees (--shard): src/shard/partition.ts. */
  shard: Shard | undefined;
}
