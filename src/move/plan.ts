// SRC... DEST -> what is moved where, with mv's rules, and the refusals
// (exit 2, nothing changed): a missing SRC, a mount point, SRC and its
// target the same, a tree into itself, several SRCs to a non-directory.
import { lstatSync, statSync, type Stats } from 'node:fs';
import { constants } from 'node:os';
import { ownMarker } from '../copy/index.js';
import { baseName, dirName, fsReason, isWithin, joinPath, realPath as real, stripSlashes } from '../copy/paths.js';

/** Refused before anything changes: the command's usage error (exit 2);
 *  errno is what aio.move rejects with. */
export class MoveRefusal extends Error {
  constructor(message: string, readonly errno: number = constants.errno.EINVAL) {
    super(message);
  }
}

export interface MoveJob {
  /** the source as given (trailing slashes dropped) */
  src: Buffer;
  /** where it goes: DEST, or DEST/basename(SRC) */
  target: Buffer;
  /** the source's absolute, resolved path (the resume marker names it) */
  absSrc: Buffer;
  srcIsDir: boolean;
  dev: number;
  ino: number;
  /** The source is gone and target holds the marker naming it: an earlier
   *  run moved everything and was stopped before its last step. */
  finished: boolean;
}

/** -T: DEST is the target; -t DIR / a directory DEST: DIR/basename(SRC); auto: as mv. */
export type TargetRule = 'self' | 'into' | 'auto';

function stat(p: Buffer, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(p) : lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw refusal(p, e);
  }
}

function refusal(p: Buffer, e: unknown): MoveRefusal {
  return new MoveRefusal(`${p}: ${fsReason(e)}`);
}

/** The resolved path a target would have (its parent must exist). */
function realTarget(target: Buffer): Buffer {
  if (stat(target, false)) return real(target);
  try {
    return joinPath(real(dirName(target)), baseName(target));
  } catch (e) {
    throw refusal(dirName(target), e);
  }
}

/** Does target hold mvtree's marker for this source (by path; by device and inode when it still exists)? */
function markedFor(target: Buffer, absSrc: Buffer, st: Stats | undefined): boolean {
  return ownMarker(target, 'mvtree', absSrc, st) !== undefined;
}

/** The absolute path of p without resolving its last component (it may be gone). */
function absolute(p: Buffer): Buffer {
  try {
    return joinPath(real(dirName(p)), baseName(p));
  } catch {
    return p[0] === 0x2f ? p : joinPath(Buffer.from(process.cwd()), p);
  }
}

export function planMoves(srcs: readonly Buffer[], dest: Buffer, rule: TargetRule): MoveJob[] {
  if (srcs.length === 0) throw new MoveRefusal('missing SRC');
  const destSt = stat(dest, true);
  if (rule === 'self' && srcs.length > 1) throw new MoveRefusal(`${dest}: -T takes one SRC, not ${srcs.length}`);
  if ((rule === 'into' || srcs.length > 1) && !destSt?.isDirectory()) throw new MoveRefusal(`${dest}: target is not a directory`);
  const jobs = srcs.map((given) => {
    const src = stripSlashes(given);
    const st = stat(src, false);
    const absSrc = st ? real(src) : absolute(src);
    // mv's rule, except that a DEST holding our marker for this SRC is the
    // target itself: the half-made target of an interrupted run.
    let target = dest;
    if (rule === 'into' || (rule === 'auto' && destSt?.isDirectory() && !markedFor(dest, absSrc, st))) target = joinPath(dest, baseName(src));
    const job: MoveJob = { src, target, absSrc, srcIsDir: !!st?.isDirectory(), dev: st?.dev ?? 0, ino: st?.ino ?? 0, finished: false };
    if (!st) {
      if (stat(target, false)?.isDirectory() && markedFor(target, absSrc, undefined)) return { ...job, srcIsDir: true, finished: true };
      throw new MoveRefusal(`${given}: no such file or directory`, constants.errno.ENOENT);
    }
    if (st.isDirectory()) {
      const parent = stat(dirName(src), false);
      if (absSrc.length === 1) throw new MoveRefusal(`${given}: refusing to move '/'`);
      if (parent && parent.dev !== st.dev) throw new MoveRefusal(`${given}: is a mount point: refusing to move it`);
    }
    const realTgt = realTarget(target);
    if (realTgt.equals(absSrc)) throw new MoveRefusal(`${given}: is the same as '${target}'`);
    if (st.isDirectory() && isWithin(realTgt, absSrc)) throw new MoveRefusal(`${target}: is inside '${given}': refusing to move a tree into itself`);
    return job;
  });
  return jobs;
}

/** A list move's SRC and DEST (--from-list, --finalize): SRC a directory
 *  (a mount point too: its entries move, not it), DEST one or not there
 *  yet (its parent is), neither inside the other. */
export function planListMove(src: Buffer, dest: Buffer): void {
  const st = stat(src, true);
  const d = stat(dest, true);
  if (d && !d.isDirectory()) throw new MoveRefusal(`${dest}: not a directory`, constants.errno.ENOTDIR);
  // (SRC gone, DEST there: a move done before; a run again finds each entry moved)
  if (!st && d) return;
  if (!st) throw new MoveRefusal(`${src}: no such directory`, constants.errno.ENOENT);
  if (!st.isDirectory()) throw new MoveRefusal(`${src}: --from-list names entries below a directory, and this is not one`, constants.errno.ENOTDIR);
  const absSrc = real(src);
  const absDest = realTarget(dest);
  if (isWithin(absDest, absSrc)) throw new MoveRefusal(`${dest}: is inside '${src}': refusing to move a tree into itself`);
  if (isWithin(absSrc, absDest)) throw new MoveRefusal(`${src}: is inside '${dest}': refusing to move a tree into its own target`);
}
