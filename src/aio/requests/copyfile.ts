// copyfile: one tree entry copied whole on a libeio thread (cptree's unit of work).
import { toInt, toPath } from '../args.js';
import { argError, copyfileError } from '../errors.js';
import { define, getLoop } from '../issue.js';
import { CF_RECORD_FIELDS, K } from '../native/kinds.js';
import { Stats } from '../stats.js';
import type { PathArg } from '../types.js';
import { Wd } from '../wd.js';
import { path2Spec } from './specs.js';

export {
  CF_CHECKSUM, CF_COPIED, CF_DIR_META, CF_DRY_RUN, CF_FSYNC, CF_HARDLINK, CF_KEPT, CF_LINKS, CF_NEWER, CF_NO_CLOBBER, CF_REFLINK_ALWAYS,
  CF_REFLINK_AUTO, CF_RECORD_FIELDS, CF_REFLINK_NEVER, CF_REGULAR, CF_SKIPPED, CF_TEMP_PREFIX, CF_UPDATE, CF_XATTRS,
} from '../native/kinds.js';

export interface CopyfileResult {
  /** CF_COPIED (or would be, with CF_DRY_RUN), CF_SKIPPED (dst was up to
   *  date), CF_HARDLINK (not copied: src has other links, with CF_LINKS) or
   *  CF_KEPT (not copied: an existing dst kept by CF_NO_CLOBBER or CF_NEWER) */
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
export const copyfile = define<[src: PathArg, dst: PathArg, flags?: number], CopyfileResult>((a) => {
  const spec = path2Spec(K.COPYFILE, 'copyfile', toPath(a[0], 'src'), toPath(a[1], 'dst'), toInt(a[2] ?? 0, 'flags', 0, 4095));
  return {
    ...spec,
    decode: (p) => ({ outcome: p.result, stats: new Stats(p.f64, p.off >> 3) }),
    // the result of a failed copyfile is -1 - where it failed
    fail: (errno, result) => copyfileError(errno, -1 - result, spec.path!, spec.dest!),
  };
});

/** Per-name results of copyfiles, read in place. */
export class CopyBatch {
  /** @internal f64 values, CF_RECORD_FIELDS per name */
  constructor(private readonly f: Float64Array) {}

  get count(): number {
    return this.f.length / CF_RECORD_FIELDS;
  }

  /** CF_COPIED, CF_SKIPPED, CF_HARDLINK or CF_KEPT; -errno when it failed (-ECANCELED: not tried after ENOSPC/EDQUOT) */
  outcome(i: number): number {
    return this.f[i * CF_RECORD_FIELDS]!;
  }

  mode(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 1]!;
  }

  size(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 2]!;
  }

  nlink(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 3]!;
  }

  dev(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 4]!;
  }

  ino(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 5]!;
  }

  /** Where a failed name failed: an index into CF_AT (see copyfileError). */
  at(i: number): number {
    return this.f[i * CF_RECORD_FIELDS + 6]!;
  }
}

/**
 * copyfile for many names of one directory in one request: each NUL-ended
 * name in `names` is copied from below src to the same name below dst, in
 * order, on one libeio thread. Perf: one submission and one completion for
 * the lot (a small file costs the kernel only tens of microseconds).
 */
export const copyfiles = define<[src: Wd, dst: Wd, names: Uint8Array, flags?: number], CopyBatch>((a) => {
  const l = getLoop();
  const [src, dst, names] = a as [Wd, Wd, Uint8Array];
  if (!(src instanceof Wd)) throw argError('src', 'a directory handle (Wd)', src);
  if (!(dst instanceof Wd)) throw argError('dst', 'a directory handle (Wd)', dst);
  if (!(names instanceof Uint8Array) || names.length === 0 || names[names.length - 1] !== 0) throw argError('names', 'a non-empty Buffer of NUL-terminated names', names);
  const flags = toInt(a[3] ?? 0, 'flags', 0, 4095);
  const s = src.use();
  const d = dst.use();
  return {
    kind: K.COPYFILES,
    syscall: 'copyfiles',
    path: src.path,
    dest: dst.path,
    keep: names,
    wds: [src, dst],
    submit: (pri) => l.native.reqCopyfiles(l.ctx, pri, s, d, names, names.length, flags),
    decode: (p) => {
      const n = p.result / 8;
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = p.f64[(p.off >> 3) + i]!;
      return new CopyBatch(f);
    },
  };
});
