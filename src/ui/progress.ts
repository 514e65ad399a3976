// Which progress reporter a scan gets: the live ink view on a terminal,
// a plain line every second when stderr is not one, or none. ink costs about
// 0.8 s to import here, so it is imported only when the view is shown.
import { seaImport } from './sea-import.js';
import { plainProgress } from './plain-progress.js';
import { startReporter, type ProgressSource, type ProgressWhen, type Reporter } from './reporter.js';

export function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  // ink is imported only when shown (~0.8 s); in the single executable from its own asset (sea-import.ts)
  return startReporter(when, src, stderr, plainProgress, typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__
      ? async () => (await seaImport<typeof import('./ink-progress.js')>('ink-progress.mjs')).inkProgress
      : async () => (await import('./ink-progress.js')).inkProgress);
}
