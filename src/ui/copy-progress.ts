// Progress of a tree copy: the live ink view on a terminal (imported lazily,
// ~0.8 s), a plain line a second otherwise. Totals come from a pre-count that
// runs beside the copy; until it ends, the ETA is unknown.
import { nowMs } from '../aio/clock.js';
import { copyProgressLine } from './copy-figures.js';
import { lineEverySecond, reporterKind, type CopySource, type ProgressWhen, type Reporter } from './reporter.js';

// The single executable (scripts/sea.mjs defines this true) shows plain lines
// on a terminal too: ink 6 and yoga use top-level await, which its CommonJS
// bundle cannot hold. Elsewhere it is undefined.
declare const __IOAIO_SEA__: boolean | undefined;

/** One line a second (stderr not a terminal, or the single executable). */
export function plainCopyProgress(src: CopySource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => copyProgressLine(src, nowMs()), stderr);
}

export async function startCopyProgress(when: ProgressWhen, src: CopySource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainCopyProgress(src, stderr);
  if (typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__) {
    return plainCopyProgress(src, stderr); // esbuild drops the else branch there, and ink with it
  } else {
    const { inkCopyProgress } = await import('./ink-copy-progress.js');
    return inkCopyProgress(src, stderr);
  }
}
