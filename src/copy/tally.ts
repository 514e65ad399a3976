// Counting a finished entry by its outcome and type.
import { aio } from '../aio/index.js';
import type { CopyCounters, EntryType } from './types.js';

const S_IFMT = 0o170000;

export function entryType(mode: number): EntryType {
  const t = mode & S_IFMT;
  return t === 0o100000 ? 'file' : t === 0o040000 ? 'dir' : t === 0o120000 ? 'symlink' : 'other';
}

/** Counts a copied (or up-to-date, or kept) entry; returns its type. */
export function tally(c: CopyCounters, outcome: number, mode: number, size: number): EntryType {
  const type = entryType(mode);
  if (outcome === aio.CF_SKIPPED) c.skipped++;
  else if (outcome === aio.CF_KEPT) c.kept++;
  else if (type === 'file') {
    c.files++;
    c.bytes += size;
  } else if (type === 'symlink') c.symlinks++;
  else c.others++;
  return type;
}
