// One line a second on stderr when it is not a terminal (logs, CI).
import { seconds, short } from './format.js';
import { lineEverySecond, type ProgressSource, type Reporter } from './reporter.js';
import { nowMs } from '../aio/clock.js';

export function progressLine(src: ProgressSource, now: number): string {
  const c = src.counters;
  const elapsed = now - src.started;
  const entries = c.dirs + c.files + c.symlinks + c.others;
  const rate = elapsed > 0 ? (entries * 1000) / elapsed : 0;
  return `${src.tool}: ${short(c.dirs)} dirs, ${short(c.files + c.symlinks + c.others)} files, ${short(c.stats)} stats, ${short(rate)}/s, ${c.inflight} in flight, ${src.threads()}, ${c.errors} errors, ${seconds(elapsed)}`;
}

export function plainProgress(src: ProgressSource, stderr: NodeJS.WritableStream): Reporter {
  return lineEverySecond(() => progressLine(src, nowMs()), stderr);
}
