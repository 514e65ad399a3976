import type { CopyOptions, Target } from '../../copy/index.js';
import type { Shard } from '../../shard/spec.js';
import type { ProgressWhen } from '../../ui/reporter.js';

/** Everything cptree does, decided from its options (see options.ts): how
 *  to copy (the engine's CopyOptions, each from its option: --reflink,
 *  --fsync, -u, --checksum, -n, -X/--no-xattrs, -x, --max-outstanding, and
 *  the batch size, 1 on network filesystems), and what is cptree's own. */
export interface CptreeConfig extends Omit<CopyOptions, 'exclude'> {
  /** SRC and DST as given, raw bytes */
  src: Buffer;
  dst: Buffer;
  /** 'into': cp's rule, an existing directory DST gets DST/basename(SRC);
   *  'merge' (-T/--merge): DST itself is the copy, merged into if it exists. */
  target: Target;
  /** --exclude, repeatable (compiled into CopyOptions.exclude by run) */
  exclude: string[];
  /** -j N: libeio threads; with -j auto, the governor's start */
  jobs: number;
  /** -j auto (the default): adapted while running */
  auto: boolean;
  /** --max-outstanding was given (else it is 4 x the threads, following -j auto) */
  fixedOutstanding: boolean;
  /** -v: a line per entry on stdout (a dry run always lists) */
  verbose: boolean;
  /** --json: NDJSON events on stdout */
  json: boolean;
  /** --summary / --summary-json: counts and time on stderr at the end */
  summary: 'none' | 'text' | 'json';
  /** --shard: only this share of the tree */
  shard: Shard | undefined;
  /** --finalize: the number of shards whose copy is finished off */
  finalize: number | undefined;
  /** --from-list: copy the entries this list names ('-': stdin) */
  fromList: string | undefined;
  /** -0: the list's paths end with NUL */
  null: boolean;
  progress: ProgressWhen;
}
