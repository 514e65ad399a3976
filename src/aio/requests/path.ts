// Requests on paths. Every path may be a string, raw bytes, or [wd, relative].
import { toId, toInt, toPath } from '../args.js';
import { DirBatch, decodeReaddir, type DirEntry, type ReaddirxResult } from '../dirent.js';
import { define, getLoop, type BigintForms, type Call } from '../issue.js';
import { COPY_EXCL, K } from '../native/kinds.js';
import type { BigIntStats, StatVfs, Stats } from '../stats.js';
import type { PathArg } from '../types.js';
import { openFlags } from './open-flags.js';
import { statDecoder, decodeBytes, decodeName, decodeStatVfs, decodeVoid, path2Spec, pathSpec } from './specs.js';
import { toTimes, type TimeArg } from './times.js';

/** open(2) with O_CLOEXEC; flags as a number or Node's strings ('r', 'w', 'a+', …). Resolves to the fd. */
export const open = define<[path: PathArg, flags?: number | string, mode?: number], number>((a) =>
  pathSpec(K.OPEN, 'open', a[0], openFlags(a[1] ?? 'r'), toInt(a[2] ?? 0o666, 'mode', 0, 0o7777)),
);

export const stat = define<[path: PathArg], Stats>((a, o) => pathSpec(K.STAT, 'stat', a[0], 0, 0, statDecoder(o.bigint))) as BigintForms<[path: PathArg], BigIntStats> & Call<[path: PathArg], Stats>;
export const lstat = define<[path: PathArg], Stats>((a, o) => pathSpec(K.LSTAT, 'lstat', a[0], 0, 0, statDecoder(o.bigint))) as BigintForms<[path: PathArg], BigIntStats> & Call<[path: PathArg], Stats>;
export const statvfs = define<[path: PathArg], StatVfs>((a) => pathSpec(K.STATVFS, 'statvfs', a[0], 0, 0, decodeStatVfs));

/** utimensat(2); see futime for the time arguments. */
export const utime = define<[path: PathArg, atime: TimeArg, mtime: TimeArg], void>((a) => {
  const p = toPath(a[0]);
  const [as, ans, ms, mns] = toTimes(a[1], a[2]);
  const l = getLoop();
  return {
    kind: K.UTIME,
    syscall: 'utime',
    path: p.shown,
    decode: decodeVoid,
    submit: (pri) => l.native.reqTime(l.ctx, K.UTIME, pri, p.wd, p.arg, -1, as, ans, ms, mns),
    wds: p.handle ? [p.handle] : undefined,
  };
});

/** chown(2); -1, null or undefined leaves the id unchanged (IO::AIO's undef). */
export const chown = define<[path: PathArg, uid: number | null | undefined, gid: number | null | undefined], void>((a) =>
  pathSpec(K.CHOWN, 'chown', a[0], toId(a[1], 'uid'), toId(a[2], 'gid'), decodeVoid),
);
export const chmod = define<[path: PathArg, mode: number], void>((a) =>
  pathSpec(K.CHMOD, 'chmod', a[0], toInt(a[1], 'mode', 0, 0o7777), 0, decodeVoid),
);
export const truncate = define<[path: PathArg, length: number], void>((a) =>
  pathSpec(K.TRUNCATE, 'truncate', a[0], toInt(a[1], 'length', 0), 0, decodeVoid),
);
export const unlink = define<[path: PathArg], void>((a) => pathSpec(K.UNLINK, 'unlink', a[0], 0, 0, decodeVoid));
export const rmdir = define<[path: PathArg], void>((a) => pathSpec(K.RMDIR, 'rmdir', a[0], 0, 0, decodeVoid));
export const mkdir = define<[path: PathArg, mode?: number], void>((a) =>
  pathSpec(K.MKDIR, 'mkdir', a[0], toInt(a[1] ?? 0o777, 'mode', 0, 0o7777), 0, decodeVoid),
);
/** mknod(2): mode includes the type (S_IFIFO, S_IFCHR, …); dev for devices. */
export const mknod = define<[path: PathArg, mode: number, dev?: number], void>((a) =>
  pathSpec(K.MKNOD, 'mknod', a[0], toInt(a[1], 'mode', 0, 0o177777), toInt(a[2] ?? 0, 'dev', 0), decodeVoid),
);

export const readlink = define<[path: PathArg], string | Buffer>((a, o) => pathSpec(K.READLINK, 'readlink', a[0], 0, 0, decodeName(o)));
/** The canonical absolute path (libeio's own realpath, relative to a wd if given). */
export const realpath = define<[path: PathArg], string | Buffer>((a, o) => pathSpec(K.REALPATH, 'realpath', a[0], 0, 0, decodeName(o)));

/** The names in a directory, without . and .. (unsorted). */
export const readdir = define<[path: PathArg], (string | Buffer)[]>((a, o) =>
  pathSpec(K.READDIR, 'readdir', a[0], 0, 0, (p) => decodeReaddir(p.buf, p.off, false, o.encoding) as (string | Buffer)[]),
);

/** IO::AIO's aio_readdirx: entries with type and inode; flags READDIR_DIRS_FIRST / STAT_ORDER sort them. */
export const readdirx = define<[path: PathArg, flags?: number], ReaddirxResult<string | Buffer>>((a, o) =>
  pathSpec(K.READDIR, 'readdir', a[0], toInt(a[1] ?? 0, 'flags', 0, 0x3ff), 0, (p) => decodeReaddir(p.buf, p.off, true, o.encoding) as ReaddirxResult<string | Buffer>),
);
export type { DirEntry };

/** readdirx as one DirBatch: for scanners that must not pay per entry. */
export const readdirBatch = define<[path: PathArg, flags?: number], DirBatch>((a) =>
  pathSpec(K.READDIR, 'readdir', a[0], toInt(a[1] ?? 0, 'flags', 0, 0x3ff), 0, (p) =>
    new DirBatch(p.owned ? p.buf : Buffer.from(p.buf.subarray(p.off, p.off + p.len))),
  ),
);

export const link = define<[existing: PathArg, newPath: PathArg], void>((a) => ({ ...path2Spec(K.LINK, 'link', toPath(a[0]), toPath(a[1], 'newPath')), decode: decodeVoid }));

/** symlink(2): target is stored as given; only the link's own path may be [wd, name]. */
export const symlink = define<[target: string | Uint8Array, linkPath: PathArg], void>((a) => ({
  ...path2Spec(K.SYMLINK, 'symlink', toPath(a[0] as string, 'target'), toPath(a[1], 'linkPath')),
  decode: decodeVoid,
}));

export const rename = define<[oldPath: PathArg, newPath: PathArg], void>((a) => ({ ...path2Spec(K.RENAME, 'rename', toPath(a[0]), toPath(a[1], 'newPath')), decode: decodeVoid }));

/** renameat2(2): flags RENAME_NOREPLACE (1), RENAME_EXCHANGE (2), RENAME_WHITEOUT (4). */
export const rename2 = define<[oldPath: PathArg, newPath: PathArg, flags: number], void>((a) => ({
  ...path2Spec(K.RENAME, 'rename2', toPath(a[0]), toPath(a[1], 'newPath'), toInt(a[2], 'flags', 0, 7)),
  decode: decodeVoid,
}));

/** Copies one regular file with its mode, owner (when permitted) and times,
 *  in one request on a libeio thread (copy_file_range, else sendfile, else
 *  read/write); a failed copy removes the partial destination. With
 *  exclusive, an existing dst is an EEXIST error rather than replaced. */
export const copy = define<[src: PathArg, dst: PathArg, exclusive?: boolean], void>((a) => {
  const flags = a[2] === true ? COPY_EXCL : 0;
  return { ...path2Spec(K.COPY, 'copy', toPath(a[0], 'src'), toPath(a[1], 'dst'), flags), decode: decodeVoid };
});

/** IO::AIO's aio_load: a whole file's contents. */
export const load = define<[path: PathArg], Buffer>((a) => pathSpec(K.LOAD, 'load', a[0], 0, 0, decodeBytes));
