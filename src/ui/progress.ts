// Which progress reporter a command gets: the live ink view on a terminal,
// a plain line every second when stderr is not one, or none. ink costs about
// 0.8 s to import here, so it is imported only when the view is shown.
import type { WalkCounters } from '../walk/types.js';
import { plainProgress } from './plain-progress.js';

export type ProgressWhen = 'auto' | 'always' | 'never';

export interface Reporter {
  stop(): Promise<void>;
}

export interface ProgressSource {
  tool: string;
  counters: WalkCounters;
  started: number;
  threads: () => number;
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

export async function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainProgress(src, stderr);
  const { inkProgress } = await import('./ink-progress.js');
  return inkProgress(src, stderr);
}
