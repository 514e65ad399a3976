// IO::AIO's aio_rmtree, on the native removal engine (native/src/rmtree.c):
// many directories at once on libeio's threads, each opened relative to its
// parent, so trees of any depth and any names go. Unlike IO::AIO's (which
// reports the status of the last rmdir only), it counts what went and lists
// every failure; like it, a missing root is an error (unless force).
import { constants } from 'node:os';
import { toInt, toPath } from '../args.js';
import { argError, IoaioError } from '../errors.js';
import { lstat, unlink } from '../requests/path.js';
import { RM_DRY_RUN, RM_LINES, RM_REC_ERROR, RM_REC_LEFT, RM_XDEV, rmClose, rmError, rmGlobs, rmOpen, rmPending, rmPush, rmStep, rmStop, type RmStep } from '../requests/rmstep.js';
import type { Group } from '../group.js';
import type { Callback, PathArg, ReqOptions } from '../types.js';
import { defineComposite } from './define-composite.js';

export type RmEntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface RmtreeCounts {
  files: number;
  dirs: number;
  symlinks: number;
  others: number;
  /** failures (each also in failed, and given to onError) */
  errors: number;
  /** directories on another filesystem, left whole (oneFileSystem) */
  left: number;
  /** entries kept by exclude (not counting what is below them) */
  kept: number;
}

export interface RmtreeResult extends RmtreeCounts {
  failed: IoaioError[];
  leftPaths: Buffer[];
}

export interface RmtreeOptions extends ReqOptions {
  /** A missing root resolves with nothing removed (rm -f); default: rejects ENOENT, as IO::AIO. */
  force?: boolean;
  /** Do not descend into (nor remove) directories on another filesystem than the root. */
  oneFileSystem?: boolean;
  /** Globs of entries to keep (and so their directories): a glob with a '/'
   *  matches the path below the root, else the name (src/walk/glob.ts). */
  exclude?: readonly string[];
  /** Paths below the root to keep, byte for byte (and so their directories);
   *  an empty one keeps the root itself. For what a move could not move. */
  keep?: readonly Uint8Array[];
  /** Decide and report only; nothing is removed. */
  dryRun?: boolean;
  /** Each entry removed (would be, in a dry run), a directory after what is below it. Costs a path per entry. */
  onEntry?: (action: 'remove' | 'rmdir', type: RmEntryType, path: Buffer) => void;
  /** Each failure as it happens; path has the raw bytes. */
  onError?: (err: IoaioError, path: Buffer) => void;
  /** The counts so far, after each step (a few times a second). */
  onProgress?: (counts: Readonly<RmtreeCounts>) => void;
  /** Steps in flight: how many threads work on the tree (default 4, libeio's
   *  default pool size); a function is asked again before each step starts,
   *  so a governor (aio.adaptive) can move it while the removal runs. */
  jobs?: number | (() => number);
}

const { ENOENT, ECANCELED } = constants.errno;
const TYPES: Record<number, RmEntryType> = { 4: 'dir', 8: 'file', 10: 'symlink' };

/** An entry's kind from its d_type (DT_DIR, DT_REG, DT_LNK; else 'other'). */
export function rmEntryType(dtype: number): RmEntryType {
  return TYPES[dtype] ?? 'other';
}
/** Perf: a step returns after this long, so progress and cancellation stay prompt. */
const STEP_US = 50_000;
const STEP_RECORDS = 256 * 1024;

function newResult(): RmtreeResult {
  return { files: 0, dirs: 0, symlinks: 0, others: 0, errors: 0, left: 0, kept: 0, failed: [], leftPaths: [] };
}

function typeOfMode(mode: number): RmEntryType {
  const t = mode & 0o170000;
  return t === 0o100000 ? 'file' : t === 0o040000 ? 'dir' : t === 0o120000 ? 'symlink' : 'other';
}

function aborted(path: string): IoaioError {
  return new IoaioError({ errno: ECANCELED, syscall: 'rmtree', path });
}

/** A root that is not a directory (a file, a symlink, …): one unlink. */
async function removeOne(path: PathArg, shown: Buffer, type: RmEntryType, o: RmtreeOptions, r: RmtreeResult): Promise<void> {
  if (!o.dryRun) {
    try {
      await unlink(path, { pri: o.pri, signal: o.signal });
    } catch (e) {
      const err = e as IoaioError;
      if (err.errno === ENOENT) return;
      if (err.errno === ECANCELED) throw err;
      r.errors++;
      r.failed.push(err);
      o.onError?.(err, shown);
      return;
    }
  }
  r[type === 'file' ? 'files' : type === 'symlink' ? 'symlinks' : 'others']++;
  o.onEntry?.('remove', type, shown);
}

/** Drives the engine: `jobs` steps in flight while work is left. */
function runEngine(rm: number, shownPrefix: Buffer | undefined, o: RmtreeOptions, jobs: () => number, r: RmtreeResult, shown: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let inflight = 0;
    let stopped = false;
    let failure: unknown;
    const keys = ['files', 'dirs', 'symlinks', 'others', 'errors', 'left', 'kept'] as const;
    const full = (p: Buffer) => (shownPrefix ? Buffer.concat([shownPrefix, p]) : Buffer.from(p));
    const onAbort = () => {
      stopped = true;
      rmStop(rm);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      o.signal?.removeEventListener('abort', onAbort);
      // a step that failed (no memory) left a gap: what came after it still counts
      try {
        for (const seq of [...early.keys()].sort((a, b) => a - b)) records(early.get(seq)!);
      } catch (e) {
        failure ??= e;
      }
      try {
        rmClose(rm);
      } catch (e) {
        failure ??= e;
      }
      if (failure !== undefined) reject(failure);
      else if (o.signal?.aborted) reject(aborted(shown));
      else resolve();
    };
    // Steps come back in any order; their records are handled in the engine's.
    const early = new Map<number, RmStep>();
    let nextSeq = 0;
    const records = (s: RmStep) =>
      s.eachRecord((what, type, op, errno, path) => {
        if (what === RM_REC_ERROR) {
          const p = full(path);
          const err = rmError(op, errno, p);
          r.failed.push(err);
          o.onError?.(err, p);
        } else if (what === RM_REC_LEFT) r.leftPaths.push(full(path));
        else if (o.onEntry) {
          const t = rmEntryType(type);
          o.onEntry(t === 'dir' ? 'rmdir' : 'remove', t, full(path));
        }
      });
    const took = (s: RmStep) => {
      for (let i = 0; i < keys.length; i++) r[keys[i]!] += s.counts[i]!;
      early.set(s.seq, s);
      for (let n; (n = early.get(nextSeq)); nextSeq++) {
        early.delete(nextSeq);
        records(n);
      }
      o.onProgress?.(r);
    };
    const pump = () => {
      while (!stopped && inflight < jobs()) {
        inflight++;
        rmStep(rm, STEP_RECORDS, STEP_US, { pri: o.pri }).then(
          (s) => {
            inflight--;
            try {
              took(s);
            } catch (e) {
              // a callback threw: stop, and reject with it once the steps are back
              failure ??= e;
              onAbort();
            }
            next();
          },
          (e: unknown) => {
            inflight--;
            failure ??= e;
            onAbort();
            next();
          },
        );
      }
    };
    const next = () => {
      if (!stopped && rmPending(rm) > 0) pump();
      else if (inflight === 0) settle();
    };
    pump();
  });
}

/** PATH without trailing slashes ('/' stays): with one, lstat would follow a
 *  symlink and the tree would be entered through it. */
function noTrailingSlash(path: PathArg): PathArg {
  if (typeof path === 'string') return path.length > 1 ? path.replace(/(?<=.)\/+$/, '') : path;
  if (path instanceof Uint8Array) {
    let end = path.length;
    while (end > 1 && path[end - 1] === 0x2f) end--;
    return path.subarray(0, end);
  }
  return path;
}

async function removeTree(given: PathArg, o: RmtreeOptions): Promise<RmtreeResult> {
  const path = noTrailingSlash(given);
  const r = newResult();
  const np = toPath(path);
  const shown = Buffer.from(np.shown);
  let st;
  try {
    st = await lstat(path, { pri: o.pri, signal: o.signal });
  } catch (e) {
    if (o.force && (e as IoaioError).errno === ENOENT) return r;
    throw e;
  }
  if (o.keep?.some((k) => k.length === 0)) {
    r.kept++;
    return r;
  }
  if (!st.isDirectory()) {
    await removeOne(path, shown, typeOfMode(st.mode), o, r);
    return r;
  }
  const flags = (o.dryRun ? RM_DRY_RUN : 0) | (o.onEntry ? RM_LINES : 0) | (o.oneFileSystem ? RM_XDEV : 0);
  const rm = rmOpen(flags, rmGlobs(o.exclude ?? [], o.keep));
  np.handle?.retain();
  try {
    rmPush(rm, path);
  } catch (e) {
    np.handle?.release();
    rmClose(rm);
    throw e;
  }
  // Records name paths from the root as pushed; a [wd, name] root is shown from the wd's path.
  const prefix = np.handle ? Buffer.from(`${np.handle.path}/`) : undefined;
  try {
    const j = o.jobs ?? 4;
    await runEngine(rm, prefix, o, typeof j === 'function' ? j : () => j, r, np.shown);
  } finally {
    np.handle?.release();
  }
  return r;
}

function checkOptions(o: RmtreeOptions): void {
  if (o.jobs !== undefined && typeof o.jobs !== 'function') toInt(o.jobs, 'jobs', 1, 1024);
  if (o.exclude !== undefined && !Array.isArray(o.exclude)) throw argError('exclude', 'an array of glob strings', o.exclude);
  for (const k of ['onEntry', 'onError', 'onProgress'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw argError(k, 'a function', o[k]);
  }
  if (o.keep !== undefined && (!Array.isArray(o.keep) || !o.keep.every((k) => k instanceof Uint8Array && !k.includes(0)))) {
    throw argError('keep', 'an array of Uint8Array paths without NUL bytes', o.keep);
  }
  rmGlobs(o.exclude ?? []);
}

/** aio.rmtree's forms: a promise, or (with a callback) a Group, as every composite. */
export interface RmtreeCall {
  (path: PathArg, opts?: RmtreeOptions): Promise<RmtreeResult>;
  (path: PathArg, cb: Callback<RmtreeResult>): Group;
  (path: PathArg, opts: RmtreeOptions, cb: Callback<RmtreeResult>): Group;
}

/** Deletes a tree, never following symlinks (a symlink root is removed as
 *  the link). Resolves with the counts and every failure; rejects only when
 *  the root is missing (without force), or when cancelled (ECANCELED). */
export const rmtree = defineComposite<[path: PathArg], RmtreeResult>((a, opts) => {
  toPath(a[0]);
  const o = opts as RmtreeOptions;
  checkOptions(o);
  return removeTree(a[0] as PathArg, o);
}) as unknown as RmtreeCall;
