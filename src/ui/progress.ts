// Which progress reporter a scan gets: the live ink view on a terminal,
// a plain line every second when stderr is not one, or none. ink costs about
// 0.8 s to import here, so it is imported only when the view is shown.
import { plainProgress } from './plain-progress.js';
import { startReporter, type ProgressSource, type ProgressWhen, type Reporter } from './reporter.js';

export function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  // ink is imported only when shown (~0.8 s); never in the single executable (src/build-defines.d.ts)
  return startReporter(when, src, stderr, plainProgress, typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__ ? undefined : async () => (await import('./ink-progress.js')).inkProgress);
}
