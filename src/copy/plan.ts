// SRC DST -> what is copied where, with cp -a's rules, the refusals that
// protect the source (a tree into itself, onto itself), and the resume: a
// DST that holds cptree's marker for this SRC is the half-made copy of an
// interrupted run, continued into rather than nested inside. Paths are raw
// bytes throughout (SRC and DST may not be UTF-8).
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { ownMarker } from './marker.js';
import { baseName, dirName, fsReason, isWithin, joinPath, realPath as real, resolvePath } from './paths.js';

/** Refused before anything is written: the command's usage error (exit 2). */
export class PlanError extends Error {}

export interface CopyPlan {
  /** the source as given (a directory or a single entry) */
  src: Buffer;
  /** the copy's own path: DST, or DST/basename(SRC) */
  dst: Buffer;
  srcIsDir: boolean;
  /** st_dev of the source (for -x) */
  srcDev: number;
}

/** How a directory copy begins, for its resume marker. */
export interface CopyStart {
  /** the source's resolved path, device and inode (the marker names them) */
  absSrc: Buffer;
  dev: number;
  ino: number;
  /** the copy root holds this source's marker: an interrupted run's copy,
   *  continued with -u's rule ('update'), or comparing bytes ('checksum')
   *  where that run merged into a directory that had entries of its own */
  resume: 'none' | 'update' | 'checksum';
  /** the copy root exists with entries that are not (all) ours */
  merge: boolean;
}

/** into: cp's rule (an existing directory DST receives DST/basename(SRC));
 *  merge: DST itself is the copy, an existing one is merged into. */
export type Target = 'into' | 'merge';

const TOOL = 'cptree';

function statOr(path: Buffer, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw planError(path, e);
  }
}

function planError(path: Buffer, e: unknown): PlanError {
  return new PlanError(`${path}: ${fsReason(e)}`);
}

/** tag: a shard's marker (marker.ts), which a re-run of that shard resumes from. */
export function planCopy(src: Buffer, dst: Buffer, target: Target, tag?: string): CopyPlan & CopyStart {
  // A trailing slash asks for what a symlink points to, as cp does.
  const srcSt = statOr(src, src[src.length - 1] === 0x2f);
  if (!srcSt) throw new PlanError(`${src}: no such file or directory`);
  const srcIsDir = srcSt.isDirectory();
  const absSrc = real(src);

  const dstSt = statOr(dst, true);
  let copy = dst;
  // cp's rule, except that a DST holding our marker for this SRC is the
  // copy itself: the half-made copy of an interrupted run.
  if (dstSt?.isDirectory() && target === 'into' && !(srcIsDir && ownMarker(dst, TOOL, absSrc, srcSt))) copy = joinPath(dst, baseName(resolvePath(src)));
  const copySt = copy === dst ? dstSt : statOr(copy, true);
  if (copySt && srcIsDir && !copySt.isDirectory()) throw new PlanError(`${copy}: cannot overwrite a non-directory with a directory`);
  if (copySt && !srcIsDir && copySt.isDirectory()) throw new PlanError(`${copy}: cannot overwrite a directory with a non-directory`);

  let realParent: Buffer;
  try {
    realParent = real(dirName(resolvePath(copy)));
  } catch (e) {
    throw planError(dirName(copy), e);
  }
  const realCopy = copySt ? real(copy) : joinPath(realParent, baseName(resolvePath(copy)));
  if (realCopy.equals(absSrc)) throw new PlanError(`${src}: cannot copy a tree onto itself ('${copy}')`);
  if (srcIsDir && isWithin(realCopy, absSrc)) throw new PlanError(`${copy}: is inside the source '${src}': refusing to copy a tree into itself`);

  const marker = srcIsDir && copySt ? ownMarker(copy, TOOL, absSrc, srcSt, tag) : undefined;
  const resume = !marker ? 'none' : marker.merge ? 'checksum' : 'update';
  const merge = marker ? marker.merge : !!copySt && srcIsDir && hasEntries(copy);
  return { src, dst: copy, srcIsDir, srcDev: srcSt.dev, absSrc, dev: srcSt.dev, ino: srcSt.ino, resume, merge };
}

function hasEntries(dir: Buffer): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch (e) {
    throw planError(dir, e);
  }
}
