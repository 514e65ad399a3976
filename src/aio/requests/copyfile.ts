// copyfile: one tree entry copied whole on a libeio thread (cptree's unit of work).
import { toInt, toPath } from '../args.js';
import { define } from '../issue.js';
import { K } from '../native/kinds.js';
import { Stats } from '../stats.js';
import type { PathArg } from '../types.js';
import { path2Spec } from './specs.js';

export {
  CF_CHECKSUM, CF_COPIED, CF_DIR_META, CF_DRY_RUN, CF_FSYNC, CF_HARDLINK, CF_LINKS, CF_REFLINK_ALWAYS, CF_REFLINK_AUTO,
  CF_REFLINK_NEVER, CF_SKIPPED, CF_TEMP_PREFIX, CF_UPDATE, CF_XATTRS,
} from '../native/kinds.js';

export interface CopyfileResult {
  /** CF_COPIED (or would be, with CF_DRY_RUN), CF_SKIPPED (dst was up to
   *  date) or CF_HARDLINK (not copied: src has other links, with CF_LINKS) */
  outcome: number;
  /** src's lstat, as the copy saw it */
  stats: Stats;
}

/**
 * Copies one non-directory entry, src to dst, in a single request: data
 * (reflink, copy_file_range, sendfile or read/write, holes kept) or the
 * symlink, fifo, socket or device node itself; owner (when permitted), mode,
 * xattrs (CF_XATTRS), times to the nanosecond. It is written under a
 * temporary name (CF_TEMP_PREFIX + 16 hex digits) next to dst and renamed
 * onto dst only once complete; a failure removes the temporary. Flags
 * (CF_*) choose reflinks, fsync, update/checksum skipping, dry runs, and
 * CF_DIR_META, which sets an existing directory dst's metadata from src.
 */
export const copyfile = define<[src: PathArg, dst: PathArg, flags?: number], CopyfileResult>((a) => ({
  ...path2Spec(K.COPYFILE, 'copyfile', toPath(a[0], 'src'), toPath(a[1], 'dst'), toInt(a[2] ?? 0, 'flags', 0, 511)),
  decode: (p) => ({ outcome: p.result, stats: new Stats(p.f64, p.off >> 3) }),
}));
