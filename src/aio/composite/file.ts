// IO::AIO's aio_slurp and aio_pathsync.
import { constants } from 'node:fs';
import { toInt, toPath } from '../args.js';
import { close, fstat, fsync, read } from '../requests/fd.js';
import { open } from '../requests/path.js';
import type { PathArg, ReqOptions } from '../types.js';
import { defineComposite } from './define-composite.js';

async function withFd<T>(path: PathArg, flags: number, opts: ReqOptions, fn: (fd: number) => Promise<T>): Promise<T> {
  const fd = await open(path, flags, 0, opts);
  try {
    return await fn(fd);
  } finally {
    await close(fd);
  }
}

/** `length` bytes from `offset` (negative: from the end; length 0: to the end). */
export const slurp = defineComposite<[path: PathArg, offset?: number, length?: number], Buffer>((a, opts) => {
  toPath(a[0]);
  let offset = toInt(a[1] ?? 0, 'offset');
  let length = toInt(a[2] ?? 0, 'length', 0);
  return withFd(a[0] as PathArg, constants.O_RDONLY, opts, async (fd) => {
    if (offset < 0 || length === 0) {
      const size = (await fstat(fd, opts)).size;
      if (offset < 0) offset = Math.max(0, size + offset);
      if (length === 0) length = Math.max(0, size - offset);
    }
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = await read(fd, buf.subarray(got), offset + got, opts);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  });
});

/** Opens the path, fsyncs it (file or directory) and closes it. */
export const pathsync = defineComposite<[path: PathArg], void>((a, opts) => {
  toPath(a[0]);
  return withFd(a[0] as PathArg, constants.O_RDONLY, opts, (fd) => fsync(fd, opts));
});
