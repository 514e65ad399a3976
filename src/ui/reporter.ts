// What every progress view shares: when one is shown, its handle, and the
// plain line's clock. Views and the choosers import this; it imports no view.
import type { CopyCounters } from '../copy/index.js';
import type { RemoveCounters } from '../remove/index.js';
import type { WalkCounters } from '../walk/types.js';

export type ProgressWhen = 'auto' | 'always' | 'never';

export interface Reporter {
  stop(): Promise<void>;
}

/** What a scan's views read (treescan, pstat). */
export interface ProgressSource {
  tool: string;
  counters: WalkCounters;
  started: number;
  /** the pool's threads as the view shows them: "8 threads", "64 threads (auto)" */
  threads: () => string;
}

/** What a copy's views read (cptree, mvtree's copy). */
export interface CopySource {
  tool: string;
  counters: CopyCounters;
  started: number;
  /** the pool's threads as the view shows them: "8 threads", "64 threads (auto)" */
  threads: () => string;
}

/** What a removal's views read (rmtree, mvtree's removal). */
export interface RemoveSource {
  tool: string;
  counters: RemoveCounters;
  started: number;
  /** the pool's threads as the view shows them: "8 threads", "64 threads (auto)" */
  threads: () => string;
}

/** Which reporter every command shows: none, a plain line a second (stderr
 *  not a terminal, or CI), or the live view. */
export function reporterKind(when: ProgressWhen, stderr: NodeJS.WriteStream): 'none' | 'plain' | 'live' {
  if (when === 'never') return 'none';
  const tty = stderr.isTTY === true && !process.env.CI;
  if (!tty) return when === 'auto' ? 'none' : 'plain';
  return 'live';
}

/** line() on stderr once a second until stopped. */
export function lineEverySecond(line: () => string, stderr: NodeJS.WritableStream): Reporter {
  const timer = setInterval(() => stderr.write(line() + '\n'), 1000);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}

/** Starts what reporterKind chooses: nothing, plain(src), or the live view
 *  that live() imports (undefined in the single executable: the plain line
 *  stands in there). */
export async function startReporter<S>(
  when: ProgressWhen,
  src: S,
  stderr: NodeJS.WriteStream,
  plain: (src: S, stderr: NodeJS.WriteStream) => Reporter,
  live: (() => Promise<(src: S, stderr: NodeJS.WriteStream) => Reporter>) | undefined,
): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain' || !live) return plain(src, stderr);
  return (await live())(src, stderr);
}
