import type { MoveCounters } from './types.js';

/** A move's counts in one flat record: mvtree's summary and JSON summary,
 *  and what aio.move resolves with. */
export interface MoveTotals {
  /** roots and entries moved by one rename(2) each */
  renamed: number;
  /** copied across filesystems */
  files: number;
  bytes: number;
  dirs: number;
  symlinks: number;
  others: number;
  /** hard links made to an earlier copy */
  links: number;
  /** entries already whole in the target (a resumed move) */
  upToDate: number;
  /** source entries removed once their copies were durable */
  removed: number;
  /** entries that stay in the source by request (noClobber, newer) */
  kept: number;
  /** source directories on another filesystem, left whole (oneFileSystem) */
  left: number;
  errors: number;
  /** source entries gone (removed by someone else) before their copy began */
  vanished: number;
  /** seconds spent making targets durable (syncfs) */
  syncSeconds: number;
}

export function moveTotals(c: MoveCounters): MoveTotals {
  const { copy: k, remove: r } = c;
  return {
    renamed: c.renamed,
    files: k.files,
    bytes: k.bytes,
    dirs: k.dirs,
    symlinks: k.symlinks,
    others: k.others,
    links: k.links,
    upToDate: k.skipped,
    removed: r.files + r.dirs + r.symlinks + r.others,
    kept: c.kept + k.kept,
    left: r.left,
    errors: c.errors + k.errors + r.errors,
    vanished: k.vanished,
    syncSeconds: c.syncSeconds,
  };
}
