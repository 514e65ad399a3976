// IO::AIO's aio_move and aio_rmtree.
import { constants } from 'node:os';
import { IoaioError } from '../errors.js';
import { copy, rename, rmdir, unlink } from '../requests/path.js';
import type { PathArg } from '../types.js';
import { defineComposite } from './define-composite.js';
import { joinPath, scandir } from './scandir.js';

/** rename, or across filesystems (EXDEV) copy then unlink the source. Files only, as IO::AIO's. */
export const move = defineComposite<[src: PathArg, dst: PathArg], void>(async (a, opts) => {
  const [src, dst] = a as [PathArg, PathArg];
  try {
    await rename(src, dst, opts);
  } catch (e) {
    if (!(e instanceof IoaioError) || e.errno !== constants.errno.EXDEV) throw e;
    await copy(src, dst, false, opts);
    await unlink(src, opts);
  }
});

/** Deletes a tree, depth first. Unlike IO::AIO's (which reports only the last
 *  rmdir), it rejects with the first real failure, naming its path. */
export const rmtree = defineComposite<[path: PathArg], void>(async (a, opts) => {
  const remove = async (path: PathArg): Promise<void> => {
    const { dirs, nondirs } = await scandir(path, 4, opts);
    await Promise.all([
      ...nondirs.map((n) => unlink(joinPath(path, n), opts)),
      ...dirs.map((d) => remove(joinPath(path, d))),
    ]);
    await rmdir(path, opts);
  };
  await remove(a[0] as PathArg);
});
