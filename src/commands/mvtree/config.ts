import type { MoveOptions, TargetRule } from '../../move/index.js';
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
  /** --summary: counts and time on stderr at the end */
  summary: boolean;
  progress: ProgressWhen;
  /** -j auto (the default): jobs and maxOutstanding follow the governor */
  auto: boolean;
  /** --max-outstanding was given: it stays as it is */
  fixedOutstanding: boolean;
}
