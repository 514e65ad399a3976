// Progress of a tree removal: the live ink view on a terminal (imported
// lazily, ~0.8 s), a plain line a second otherwise. The total comes from a
// pre-count beside the removal; until it ends, the ETA is unknown.
import { seaImport } from './sea-import.js';
import { nowMs } from '../aio/clock.js';
import { removeProgressLine } from './remove-figures.js';
import { lineEverySecond, startReporter, type ProgressWhen, type RemoveSource, type Reporter } from './reporter.js';

/** One line a second (stderr not a terminal, or the single executable). */
export function plainRemoveProgress(src: RemoveSource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => removeProgressLine(src, nowMs()), stderr);
}

export function startRemoveProgress(when: ProgressWhen, src: RemoveSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  // ink is imported only when shown (~0.8 s); in the single executable from its own asset (sea-import.ts)
  return startReporter(when, src, stderr, plainRemoveProgress, typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__
      ? async () => (await seaImport<typeof import('./ink-remove-progress.js')>('ink-remove-progress.mjs')).inkRemoveProgress
      : async () => (await import('./ink-remove-progress.js')).inkRemoveProgress);
}
