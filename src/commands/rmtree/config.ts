import type { Shard } from '../../shard/spec.js';
import type { RemoveOptions } from '../../remove/index.js';
import type { ProgressWhen } from '../../ui/reporter.js';

/** Everything rmtree does, decided from its options (see options.ts): how
 *  to remove (the engine's RemoveOptions: -f/--no-force, -x, --exclude, -n,
 *  -j) and what is rmtree's own. */
export interface RmtreeConfig extends Omit<RemoveOptions, 'jobs'> {
  /** -j N: steps in flight (and threads); with -j auto, the governor's start */
  jobs: number;
  /** -j auto (the default): adapted while running */
  auto: boolean;
  /** --max-outstanding was given: steps never exceed it, whatever -j auto wants */
  fixedOutstanding: boolean;
  /** the PATHs as given, raw bytes */
  paths: Buffer[];
  /** --max-outstanding: requests in flight at most (the pre-count's and the removal's) */
  maxOutstanding: number;
  /** -v: a line per entry on stdout (a dry run always lists) */
  verbose: boolean;
  /** --json: NDJSON events on stdout */
  json: boolean;
  /** --summary, --summary-json: counts and time on stderr at the end */
  summary: 'none' | 'text' | 'json';
  /** --shard: only this share of each tree (the shared directories stay) */
  shard: Shard | undefined;
  /** --from-list FILE ('-': stdin): remove the entries it names below the one PATH */
  fromList: string | undefined;
  /** -0: the list's paths end in NUL */
  null: boolean;
  progress: ProgressWhen;
}
