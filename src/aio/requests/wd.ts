// aio.wd(path): IO::AIO's aio_wd.
import { toPath } from '../args.js';
import { define, getLoop } from '../issue.js';
import { K } from '../native/kinds.js';
import type { PathArg } from '../types.js';
import { Wd } from '../wd.js';
import { pathSpec } from './specs.js';

/** Opens a directory handle; use it as `[wd, 'relative/path']` in any request. */
export const wd = define<[path: PathArg], Wd>((a) => {
  const p = toPath(a[0]);
  return pathSpec(K.WD_OPEN, 'wd_open', a[0], 0, 0, (r) => new Wd(r.result, p.shown, closeHandle));
});

/** A directory handle opened plainly (one O_PATH openat, no realpath, unlike
 *  IO::AIO's aio_wd): what per-directory batches of requests want on NFS. */
export const dirHandle = define<[path: PathArg], Wd>((a) => {
  const p = toPath(a[0]);
  return pathSpec(K.WD_OPEN, 'wd_open', a[0], 1, 0, (r) => new Wd(r.result, p.shown, closeHandle));
});

const closeHandle = (w: Wd): Promise<void> => wdClose(w.id);

const wdClose = define<[id: number], void>((a) => {
  const l = getLoop();
  const id = a[0] as number;
  return { kind: K.WD_CLOSE, syscall: 'wd_close', decode: () => undefined, submit: (pri) => l.native.reqFd(l.ctx, K.WD_CLOSE, pri, id, 0, 0, 0) };
});
