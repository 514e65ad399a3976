// The pre-count behind a live view's ETA: the trees walked beside the work
// (cptree's copy, rmtree's removal, mvtree's move), never before it. Its
// requests go ahead of the work's in libeio's queue (priority 4), so the
// totals come early while the work has started at once.
import type { WalkCounters } from './types.js';
import { makeWalker } from './walkers.js';

export interface PrecountOptions {
  oneFileSystem: boolean;
  exclude: ((name: Buffer, relPrefix: Buffer) => boolean) | undefined;
  /** Stat every entry for the bytes of the files (a copy's ETA). Without
   *  it, the native walk that prints nothing counts the entries
   *  (Perf: a step lists many directories). */
  bytes: boolean;
}

/** Walks roots and calls done with the counts (the roots among them) once
 *  the walk is whole; stop() ends it early, and done is then never called. */
export function precount(roots: Buffer[], o: PrecountOptions, done: (counts: Readonly<WalkCounters>) => void): { stop(): void } {
  const walker = o.bytes
    ? makeWalker(
        { roots, maxDepth: Infinity, oneFileSystem: o.oneFileSystem, follow: false, statAll: true, exclude: o.exclude, maxOutstanding: 16, sort: false, pri: 4 },
        { entry() {}, error() {} },
      )
    : makeWalker(
        { roots, maxDepth: Infinity, oneFileSystem: o.oneFileSystem, follow: false, statAll: false, exclude: o.exclude, maxOutstanding: 16, sort: false, pri: 4, parallel: 1, lines: { dirs: false, others: false, slash: false, term: 0x0a } },
        { entry() {}, error() {}, lines: (_s, _a, _b, release) => release() },
      );
  let stopped = false;
  void walker.run().then(() => {
    if (!stopped) done(walker.counters);
  });
  return {
    stop() {
      stopped = true;
      walker.stop();
    },
  };
}
