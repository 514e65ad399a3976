// What a copy's views show (the live view and the plain line alike), from its counters.
import { seconds, short } from './format.js';
import type { CopySource } from './reporter.js';

/** 1234567 -> "1.2 MB" */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
}

/** What the views show, computed once per redraw. */
export interface CopyFigures {
  done: number;
  files: string;
  bytes: string;
  rate: string;
  eta: string;
  current: string;
}

export function copyFigures(src: CopySource, now: number): CopyFigures {
  const c = src.counters;
  const elapsed = now - src.started;
  const done = c.files + c.symlinks + c.others + c.links + c.skipped;
  const rate = elapsed > 0 ? (c.bytes * 1000) / elapsed : 0;
  let eta = 'counting…';
  if (c.totalFiles >= 0 && elapsed > 0) {
    // the larger of the two fractions: many small files are bound by count, few large ones by bytes
    const frac = Math.max(c.totalBytes > 0 ? c.bytes / c.totalBytes : 0, c.totalFiles > 0 ? done / c.totalFiles : 1);
    eta = frac > 0 ? seconds(Math.max(0, (elapsed * (1 - frac)) / frac)) : '?';
  }
  const cur = c.current ? Buffer.concat([c.current.dir.rel, c.current.name]).toString() : '';
  return {
    done,
    files: c.totalFiles >= 0 ? `${short(done)}/${short(c.totalFiles)}` : short(done),
    bytes: c.totalBytes >= 0 ? `${bytes(c.bytes)}/${bytes(c.totalBytes)}` : bytes(c.bytes),
    rate: `${bytes(rate)}/s`,
    eta,
    current: cur,
  };
}

export function copyProgressLine(src: CopySource, now: number): string {
  const f = copyFigures(src, now);
  const c = src.counters;
  return `${src.tool}: ${f.files} entries, ${f.bytes}, ${f.rate}, ETA ${f.eta}, ${c.inflight} in flight, ${c.errors} errors, ${seconds(now - src.started)}`;
}
