// IO::AIO's aio_move (aio_rmtree is in rmtree.ts).
import { constants } from 'node:os';
import { toPath } from '../args.js';
import { IoaioError } from '../errors.js';
import { copy, rename, unlink } from '../requests/path.js';
import type { PathArg, ReqOptions } from '../types.js';
import { defineComposite } from './define-composite.js';

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
