// Which progress reporter a scan gets: the live ink view on a terminal,
// a plain line every second when stderr is not one, or none. ink costs about
// 0.8 s to import here, so it is imported only when the view is shown (the
// single executable's build swaps the ink views for plain lines:
// scripts/sea.mjs).
import { plainProgress } from './plain-progress.js';
import { reporterKind, type ProgressSource, type ProgressWhen, type Reporter } from './reporter.js';

export async function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainProgress(src, stderr);
  const { inkProgress } = await import('./ink-progress.js');
  return inkProgress(src, stderr);
}
