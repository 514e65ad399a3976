// IO::AIO's aio_move and aio_rmtree.
import { constants } from 'node:os';
import { toPath } from '../args.js';
import { IoaioError } from '../errors.js';
import { copy, lstat, rename, rmdir, unlink } from '../requests/path.js';
import type { PathArg, ReqOptions } from '../types.js';
import { defineComposite } from './define-composite.js';
import { joinPath, scandir } from './scandir.js';

async function moveFile(src: PathArg, dst: PathArg, opts: ReqOptions): Promise<void> {
  try {
    await rename(src, dst, opts);
  } catch (e) {
    if (!(e instanceof IoaioError) || e.errno !== constants.errno.EXDEV) throw e;
    await copy(src, dst, false, opts);
    await unlink(src, opts);
  }
}

/** rename, or across filesystems (EXDEV) copy then unlink the source. Files only, as IO::AIO's. */
export const move = defineComposite<[src: PathArg, dst: PathArg], void>((a, opts) => {
  toPath(a[0], 'src');
  toPath(a[1], 'dst');
  return moveFile(a[0] as PathArg, a[1] as PathArg, opts);
});

async function removeDir(path: PathArg, opts: ReqOptions): Promise<void> {
  const { dirs, nondirs } = await scandir(path, 4, opts);
  await Promise.all([
    ...nondirs.map((n) => unlink(joinPath(path, n), opts)),
    ...dirs.map((d) => removeDir(joinPath(path, d), opts)),
  ]);
  await rmdir(path, opts);
}

async function removeTree(path: PathArg, opts: ReqOptions): Promise<void> {
  // Never follow a symlink given as the root: remove the link, as rm -r does.
  if (!(await lstat(path, opts)).isDirectory()) return unlink(path, opts);
  return removeDir(path, opts);
}

/** Deletes a tree, depth first, never following symlinks. Unlike IO::AIO's
 *  (which reports only the last rmdir), it rejects with the first real
 *  failure, naming its path. */
export const rmtree = defineComposite<[path: PathArg], void>((a, opts) => {
  toPath(a[0]);
  return removeTree(a[0] as PathArg, opts);
});
