// What a removal's views show (the live view and the plain line alike), from its counters.
import { removedCount } from '../remove/index.js';
import { seconds, short } from './format.js';
import type { RemoveSource } from './reporter.js';

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
