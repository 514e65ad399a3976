// Progress of a tree removal: the live ink view on a terminal (imported
// lazily, ~0.8 s), a plain line a second otherwise. The total comes from a
// pre-count beside the removal; until it ends, the ETA is unknown.
import { removedCount, type RemoveCounters } from '../remove/index.js';
import { seconds, short } from './format.js';
import { lineEverySecond, reporterKind, type ProgressWhen, type Reporter } from './progress.js';
import { nowMs } from '../aio/clock.js';

export interface RemoveSource {
  tool: string;
  counters: RemoveCounters;
  started: number;
  threads: () => number;
}

/** What the views show, computed once per redraw. */
export interface RemoveFigures {
  entries: string;
  rate: string;
  eta: string;
}

export function removeFigures(src: RemoveSource, now: number): RemoveFigures {
  const c = src.counters;
  const elapsed = now - src.started;
  const done = removedCount(c);
  const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
  let eta = 'counting…';
  // Entries removed before the count reached them are not in it: never below what is done.
  const total = c.total >= 0 ? Math.max(c.total, done + c.kept) : -1;
  if (total >= 0) eta = rate > 0 ? seconds(((total - done - c.kept) * 1000) / rate) : '?';
  return {
    entries: total >= 0 ? `${short(done)}/${short(total)}` : short(done),
    rate: `${short(rate)} entries/s`,
    eta,
  };
}

export function removeProgressLine(src: RemoveSource, now: number): string {
  const f = removeFigures(src, now);
  const c = src.counters;
  return `${src.tool}: ${f.entries} entries, ${f.rate}, ETA ${f.eta}, ${c.inflight} in flight, ${c.errors} errors, ${seconds(now - src.started)}`;
}

/** One line a second (stderr not a terminal, or the single executable). */
export function plainRemoveProgress(src: RemoveSource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => removeProgressLine(src, nowMs()), stderr);
}

export async function startRemoveProgress(when: ProgressWhen, src: RemoveSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainRemoveProgress(src, stderr);
  const { inkRemoveProgress } = await import('./ink-remove-progress.js');
  return inkRemoveProgress(src, stderr);
}
