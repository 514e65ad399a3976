import type { MoveOptions, TargetRule } from '../../move/index.js';
import type { Shard } from '../../shard/spec.js';
import type { ProgressWhen } from '../../ui/reporter.js';

/** Everything mvtree does, decided from its options (see options.ts): how
 *  to move (the engine's MoveOptions: -n, -u, --merge, --dry-run,
 *  --exclude, -x, --no-sync, --no-xattrs, -j, --max-outstanding) and what is
 *  mvtree's own. */
export interface MvtreeConfig extends MoveOptions {
  /** the SRCs and DEST as given, raw bytes */
  srcs: Buffer[];
  dest: Buffer;
  /** -T: DEST is the target; -t DIR: into DIR; else mv's rule */
  rule: TargetRule;
  /** -v: a line per entry on stdout (a dry run always lists) */
  verbose: boolean;
  /** --json: NDJSON events on stdout */
  json: boolean;
  /** --summary (text) or --summary-json (one object, for summary-merge): counts and time on stderr at the end */
  summary: 'none' | 'text' | 'json';
  progress: ProgressWhen;
  /** -j auto (the default): jobs and maxOutstanding follow the governor */
  auto: boolean;
  /** --max-outstanding was given: it stays as it is */
  fixedOutstanding: boolean;
  /** --from-list FILE ('-': stdin): move the entries it names below SRC to the same paths below DEST */
  fromList: string | undefined;
  /** -0: the list's paths end with NUL */
  null: boolean;
  /** --shard I/N: this shard's entries of the list */
  shard: Shard | undefined;
  /** --finalize (with N shards): the directories' metadata, and their sources removed once empty */
  finalize: number | undefined;
}
