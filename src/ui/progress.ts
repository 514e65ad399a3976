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

export async function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  if (when === 'never') return undefined;
  const tty = stderr.isTTY === true && !process.env.CI;
  if (when === 'auto' && !tty) return undefined;
  if (!tty) return plainProgress(src, stderr);
  const { inkProgress } = await import('./ink-progress.js');
  return inkProgress(src, stderr);
}
