// Progress of a tree removal: the live ink view on a terminal (imported
// lazily, ~0.8 s), a plain line a second otherwise. The total comes from a
// pre-count beside the removal; until it ends, the ETA is unknown.
import { nowMs } from '../aio/clock.js';
import { removeProgressLine } from './remove-figures.js';
import { lineEverySecond, reporterKind, type ProgressWhen, type RemoveSource, type Reporter } from './reporter.js';

// The single executable (scripts/sea.mjs defines this true) shows plain lines
// on a terminal too: ink 6 and yoga use top-level await, which its CommonJS
// bundle cannot hold. Elsewhere it is undefined.
declare const __IOAIO_SEA__: boolean | undefined;

/** One line a second (stderr not a terminal, or the single executable). */
export function plainRemoveProgress(src: RemoveSource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => removeProgressLine(src, nowMs()), stderr);
}

export async function startRemoveProgress(when: ProgressWhen, src: RemoveSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainRemoveProgress(src, stderr);
  if (typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__) {
    return plainRemoveProgress(src, stderr); // esbuild drops the else branch there, and ink with it
  } else {
    const { inkRemoveProgress } = await import('./ink-remove-progress.js');
    return inkRemoveProgress(src, stderr);
  }
}
