// mvtree's live views over a move across filesystems: the copy's view, then
// the removal's, each with the totals of one pre-count of the source (walked
// beside the copy, at a higher priority): files and bytes for the copy's
// ETA, entries for the removal's, as cptree's and rmtree's views show them.
import type { CopyCounters } from '../../copy/index.js';
import type { MovePhases } from '../../move/index.js';
import type { RemoveCounters } from '../../remove/index.js';
import { excluder } from '../../walk/glob.js';
import { precount } from '../../walk/precount.js';
import type { MvtreeConfig } from './config.js';

type View = Promise<{ stop(): Promise<void> } | undefined>;

export interface ViewMakers {
  copyProgress?: (counters: CopyCounters, started: number) => View;
  removeProgress?: (counters: RemoveCounters, started: number) => View;
}

export function livePhases(cfg: MvtreeConfig, io: ViewMakers, started: number): MovePhases & { stop(): void } {
  let counting: { stop(): void } | undefined;
  let entries = -1;
  let removal: RemoveCounters | undefined;
  return {
    copy: io.copyProgress && (async (c, src) => {
      const view = await io.copyProgress!(c, started);
      if (!view) return view;
      counting?.stop();
      entries = -1;
      removal = undefined;
      counting = precount([src], { oneFileSystem: cfg.oneFileSystem, exclude: excluder(cfg.exclude), bytes: true }, (w) => {
        c.totalFiles = w.files + w.symlinks + w.others;
        c.totalBytes = w.bytes;
        entries = w.files + w.dirs + w.symlinks + w.others; // the root among them
        if (removal) removal.total = entries;
      });
      return view;
    }),
    remove: io.removeProgress && (async (c) => {
      const view = await io.removeProgress!(c, started);
      removal = c;
      c.total = entries;
      return view;
    }),
    stop() {
      counting?.stop();
    },
  };
}
