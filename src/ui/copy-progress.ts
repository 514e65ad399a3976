// Progress of a tree copy: the live ink view on a terminal (imported lazily,
// ~0.8 s), a plain line a second otherwise. Totals come from a pre-count that
// runs beside the copy; until it ends, the ETA is unknown.
import { seaImport } from './sea-import.js';
import { nowMs } from '../aio/clock.js';
import { copyProgressLine } from './copy-figures.js';
import { lineEverySecond, startReporter, type CopySource, type ProgressWhen, type Reporter } from './reporter.js';

/** One line a second (stderr not a terminal, or the single executable). */
export function plainCopyProgress(src: CopySource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => copyProgressLine(src, nowMs()), stderr);
}

export function startCopyProgress(when: ProgressWhen, src: CopySource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  // ink is imported only when shown (~0.8 s); in the single executable from its own asset (sea-import.ts)
  return startReporter(when, src, stderr, plainCopyProgress, typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__
      ? async () => (await seaImport<typeof import('./ink-copy-progress.js')>('ink-copy-progress.mjs')).inkCopyProgress
      : async () => (await import('./ink-copy-progress.js')).inkCopyProgress);
}
