// Which walker a walk gets: one strategy per file, chosen here once.
import { LineWalker, walksNatively } from './line-walker.js';
import { SortedWalker } from './sorted-walker.js';
import type { WalkCounters, WalkOptions, WalkSink } from './types.js';
import { Walker } from './walker.js';

export interface AnyWalker {
  readonly counters: WalkCounters;
  run(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** --sort: SortedWalker; a plain listing: the native LineWalker; else the readdir Walker. */
export function makeWalker(opts: WalkOptions, sink: WalkSink): AnyWalker {
  if (opts.sort) return new SortedWalker(opts, sink);
  if (walksNatively(opts)) return new LineWalker(opts, sink);
  return new Walker(opts, sink);
}
