// IO::AIO's aio_move, extended to trees (aio_rmtree is in rmtree.ts). A
// file with no options moves as IO::AIO's does: rename, or across
// filesystems copy then unlink. A directory, or any of the tree options,
// goes to mvtree's engine (src/move/), loaded on first use so the library's
// start does not pay for it.
import { constants } from 'node:os';
import { toInt, toPath } from '../args.js';
import { argError, IoaioError } from '../errors.js';
import type { Group } from '../group.js';
import { copy, lstat, rename, unlink } from '../requests/path.js';
import type { Callback, PathArg, ReqOptions } from '../types.js';
import { defineComposite } from './define-composite.js';
import type { MoveTotals } from '../../move/totals.js';

export type { MoveTotals };
export type MoveEntryAction = 'rename' | 'keep' | 'copy' | 'skip' | 'link' | 'mkdir' | 'remove' | 'rmdir' | 'vanished';

export interface MoveTreeOptions extends ReqOptions {
  /** An existing target entry is never replaced; its source stays (mv -n). */
  noClobber?: boolean;
  /** An existing target entry is replaced only by a newer source (mv -u). */
  newer?: boolean;
  /** A directory moved onto an existing, non-empty directory is merged into
   *  it entry by entry (else that fails, as rename's ENOTEMPTY). */
  merge?: boolean;
  /** Decide and report only (onEntry); nothing changes. */
  dryRun?: boolean;
  /** Globs of entries that stay in the source (and so their directories). */
  exclude?: readonly string[];
  /** Across filesystems: what is below mount points in the source stays there. */
  oneFileSystem?: boolean;
  /** Across filesystems: make the target durable (syncfs) before any source
   *  entry is removed. Default true; false for scratch data. */
  sync?: boolean;
  /** Across filesystems: copy extended attributes and ACLs. Default true. */
  xattrs?: boolean;
  /** Removal steps in flight (default 4, libeio's default pool size). */
  jobs?: number;
  /** Copy requests in flight at most (default 4 × jobs). */
  maxOutstanding?: number;
  /** Each entry moved, copied, kept or removed; a directory's removal after
   *  what was below it; 'vanished' for a source entry gone (removed by
   *  someone else) before its copy began. Asking for it costs a path per entry. */
  onEntry?: (action: MoveEntryAction, path: Buffer) => void;
  /** Each failure as it happens (the entry stays in the source). */
  onError?: (err: IoaioError | Error, path: Buffer) => void;
  /** The counts so far, every progressMs while the move runs. */
  onProgress?: (totals: Readonly<MoveTotals>) => void;
  /** How often onProgress is called (default 250 ms). */
  progressMs?: number;
}

export interface MoveResult extends MoveTotals {
  /** every failure (each also given to onError); their entries stayed in the source */
  failed: (IoaioError | Error)[];
  /** ENOSPC or EDQUOT stopped the copy; nothing that was not whole in the target was removed */
  fatal?: IoaioError;
}

const { EXDEV, ENOENT } = constants.errno;
const TREE_OPTIONS = ['noClobber', 'newer', 'merge', 'dryRun', 'exclude', 'oneFileSystem'] as const;

function emptyResult(): MoveResult {
  return { renamed: 0, files: 0, bytes: 0, dirs: 0, symlinks: 0, others: 0, links: 0, upToDate: 0, removed: 0, kept: 0, left: 0, errors: 0, vanished: 0, syncSeconds: 0, failed: [] };
}

/** IO::AIO's aio_move for a file across filesystems (rename said EXDEV): copy then unlink. */
async function moveFile(src: PathArg, dst: PathArg, size: number, opts: ReqOptions): Promise<MoveResult> {
  await copy(src, dst, false, opts);
  await unlink(src, opts);
  return { ...emptyResult(), files: 1, bytes: size, removed: 1 };
}

/** The path bytes of a root (a [wd, name] root as the wd's path joined with name). */
function rootBytes(p: PathArg, name: string): Buffer {
  return typeof p === 'string' || p instanceof Uint8Array ? Buffer.from(p) : Buffer.from(toPath(p, name).shown);
}

async function moveAny(src: PathArg, dst: PathArg, o: MoveTreeOptions): Promise<MoveResult> {
  const req = { pri: o.pri, signal: o.signal };
  const tree = () => import('../../move/library.js').then((m) => m.moveTree(rootBytes(src, 'src'), rootBytes(dst, 'dst'), o));
  if (TREE_OPTIONS.some((k) => o[k] !== undefined && o[k] !== false)) return tree();
  try {
    await rename(src, dst, req);
    return { ...emptyResult(), renamed: 1 };
  } catch (e) {
    if (!(e instanceof IoaioError)) throw e;
    if (e.errno === ENOENT) {
      // gone: perhaps a tree an earlier call moved all of, but for its last step
      const resumed = await tree().catch(() => undefined);
      if (resumed) return resumed;
      throw e;
    }
    // ENOTEMPTY, EISDIR, EINVAL (into itself): rename's own answer, as IO::AIO's
    if (e.errno !== EXDEV) throw e;
    const st = await lstat(src, req);
    return st.isDirectory() ? tree() : moveFile(src, dst, st.size, req);
  }
}

function checkOptions(o: MoveTreeOptions): void {
  if (o.jobs !== undefined) toInt(o.jobs, 'jobs', 1, 1024);
  if (o.maxOutstanding !== undefined) toInt(o.maxOutstanding, 'maxOutstanding', 1, 1 << 20);
  if (o.progressMs !== undefined) toInt(o.progressMs, 'progressMs', 1, 2 ** 31 - 1);
  if (o.exclude !== undefined && (!Array.isArray(o.exclude) || !o.exclude.every((g) => typeof g === 'string'))) throw argError('exclude', 'an array of glob strings', o.exclude);
  for (const k of ['onEntry', 'onError', 'onProgress'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw argError(k, 'a function', o[k]);
  }
}

/** aio.move's forms: a promise, or (with a callback) a Group, as every composite. */
export interface MoveCall {
  (src: PathArg, dst: PathArg, opts?: MoveTreeOptions): Promise<MoveResult>;
  (src: PathArg, dst: PathArg, cb: Callback<MoveResult>): Group;
  (src: PathArg, dst: PathArg, opts: MoveTreeOptions, cb: Callback<MoveResult>): Group;
}

/** Moves a file or a tree to dst (dst is the target itself, as rename's).
 *  Resolves with the counts and every failure; rejects when nothing could be
 *  moved at all (a missing src, a tree into itself, a non-empty target
 *  without merge), or when cancelled (ECANCELED: what was in flight ends
 *  whole, and the same call again finishes the move). */
export const move = defineComposite<[src: PathArg, dst: PathArg], MoveResult>((a, opts) => {
  toPath(a[0], 'src');
  toPath(a[1], 'dst');
  const o = opts as MoveTreeOptions;
  checkOptions(o);
  return moveAny(a[0] as PathArg, a[1] as PathArg, o);
}) as unknown as MoveCall;
