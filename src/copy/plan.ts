// SRC DST -> what is copied where, with cp -a's rules, and the refusals
// that protect the source (a tree into itself, onto itself).
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Refused before anything is written: the command's usage error (exit 2). */
export class PlanError extends Error {}

export interface CopyPlan {
  /** the source as given (a directory or a single entry) */
  src: string | Buffer;
  /** the copy's own path: DST, or DST/basename(SRC) */
  dst: string | Buffer;
  srcIsDir: boolean;
  /** st_dev of the source (for -x) */
  srcDev: number;
}

/** into: cp's rule (an existing directory DST receives DST/basename(SRC));
 *  merge: DST itself is the copy, an existing one is merged into. */
export type Target = 'into' | 'merge';

function statOr(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw planError(path, e);
  }
}

function planError(path: string, e: unknown): PlanError {
  const err = e as NodeJS.ErrnoException;
  const reason = err.code ? reasonOf(err) : String(e);
  return new PlanError(`${path}: ${reason}`);
}

function reasonOf(err: NodeJS.ErrnoException): string {
  // "ENOENT: no such file or directory, lstat 'x'" -> "no such file or directory"
  return err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*$/s, '');
}

export function planCopy(src: string, dst: string, target: Target): CopyPlan {
  // A trailing slash asks for what a symlink points to, as cp does.
  const srcSt = statOr(src, src.endsWith('/'));
  if (!srcSt) throw new PlanError(`${src}: no such file or directory`);
  const srcIsDir = srcSt.isDirectory();

  const dstSt = statOr(dst, true);
  let copy = dst;
  if (dstSt?.isDirectory() && target === 'into') copy = join(dst, basename(resolve(src)));
  const copySt = copy === dst ? dstSt : statOr(copy, true);
  if (copySt && srcIsDir && !copySt.isDirectory()) throw new PlanError(`${copy}: cannot overwrite a non-directory with a directory`);
  if (copySt && !srcIsDir && copySt.isDirectory()) throw new PlanError(`${copy}: cannot overwrite a directory with a non-directory`);

  const realSrc = realpathSync(src);
  let realParent: string;
  try {
    realParent = realpathSync(dirname(resolve(copy)));
  } catch (e) {
    throw planError(dirname(copy), e);
  }
  const realCopy = copySt ? realpathSync(copy) : join(realParent, basename(resolve(copy)));
  if (realCopy === realSrc) throw new PlanError(`${src}: cannot copy a tree onto itself ('${copy}')`);
  if (srcIsDir && (realCopy + '/').startsWith(realSrc === '/' ? '/' : realSrc + '/')) {
    throw new PlanError(`${copy}: is inside the source '${src}': refusing to copy a tree into itself`);
  }
  return { src, dst: copy, srcIsDir, srcDev: srcSt.dev };
}
