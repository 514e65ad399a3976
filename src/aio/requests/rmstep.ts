// Tree removal advanced on libeio's threads (native/src/rmtree.c): the host
// opens an engine, pushes the roots and submits steps; each step's result is
// a few counts plus the records the host asked for (entries removed, with
// RM_LINES), failures and directories left on other filesystems.
import { toInt, toPath } from '../args.js';
import { argError, checkErrno, IoaioError } from '../errors.js';
import { getLoop } from '../issue.js';
import { stepRequest } from './step.js';
import { K, RM_COUNTS, RM_HEAD, RM_OPS } from '../native/kinds.js';
import type { PathArg } from '../types.js';

export { RM_DRY_RUN, RM_LINES, RM_REC_ERROR, RM_REC_LEFT, RM_REC_REMOVED, RM_XDEV } from '../native/kinds.js';

/** What one step did (layout in ioaio.h). */
export class RmStep {
  /** directories this step listed */
  readonly items: number;
  /** directories on the engine's stack when it ended */
  readonly pending: number;
  /** the order of the steps' records: handle them by seq (0, 1, …), not by arrival */
  readonly seq: number;
  /** files, dirs, symlinks, others, errors, left, kept: in IOAIO_RM_* order */
  readonly counts: Uint32Array;
  private readonly end: number;

  /** @internal buf holds the step payload */
  constructor(readonly buf: Buffer) {
    this.end = RM_HEAD + buf.readUInt32LE(0);
    this.items = buf.readUInt32LE(4);
    this.pending = buf.readUInt32LE(8);
    this.seq = buf.readUInt32LE(12);
    this.counts = new Uint32Array(RM_COUNTS);
    for (let i = 0; i < RM_COUNTS; i++) this.counts[i] = buf.readUInt32LE(16 + 4 * i);
  }

  /** Calls fn for each record (RM_REC_*, readdir's d_type, IOAIO_RM_OP_*,
   *  errno, path: a view into the step's buffer, copied if kept). */
  eachRecord(fn: (what: number, type: number, op: number, errno: number, path: Buffer) => void): void {
    const b = this.buf;
    for (let pos = RM_HEAD; pos < this.end; ) {
      const len = b.readUInt32LE(pos + 8);
      fn(b[pos]!, b[pos + 1]!, b[pos + 2]!, b.readUInt32LE(pos + 4), b.subarray(pos + 12, pos + 12 + len));
      pos += 12 + len;
    }
  }
}

/** The error of a failure record. */
export function rmError(op: number, errno: number, path: Buffer): IoaioError {
  return new IoaioError({ errno, syscall: RM_OPS[op - 1] ?? 'rmtree', path: path.toString() });
}

const LITERAL = Buffer.from('l');
const NUL = Buffer.alloc(1);

/** Each glob as the engine takes it: 'n' (matches a name) or 'p' (a path
 *  below the root: the glob has a '/'), its bytes, a NUL; then each keep
 *  path as 'l' (that path, byte for byte). */
export function rmGlobs(globs: readonly string[], keep: readonly Uint8Array[] = []): Buffer {
  return Buffer.concat([
    ...globs.map((g) => {
      if (typeof g !== 'string' || g === '' || g.includes('\0')) throw argError('exclude', 'an array of non-empty glob strings', g);
      const byPath = g.includes('/');
      const pat = byPath ? g.replace(/^\/+/, '') : g;
      if (pat === '') throw argError('exclude', 'an array of non-empty glob strings', g);
      return Buffer.concat([Buffer.from(byPath ? 'p' : 'n'), Buffer.from(pat), NUL]);
    }),
    ...keep.filter((k) => k.length > 0).flatMap((k) => [LITERAL, k, NUL]),
  ]);
}

/** A new engine: flags RM_DRY_RUN, RM_LINES, RM_XDEV; globs from rmGlobs
 *  (entries to keep). */
export function rmOpen(flags: number, globs: Buffer): number {
  const l = getLoop();
  return checkErrno(l.native.rmNew(l.ctx, toInt(flags, 'flags', 0, 7), globs.length ? globs : null, globs.length), 'rm_new');
}

/** Puts a root directory on the engine's stack (a [wd, path] pair is relative to wd). */
export function rmPush(rm: number, path: PathArg): void {
  const p = toPath(path);
  const l = getLoop();
  checkErrno(l.native.rmPush(l.ctx, rm, p.wd, p.arg), 'rm_push', p.shown);
}

/** Work left: on the stack or being done. */
export function rmPending(rm: number): number {
  const l = getLoop();
  return checkErrno(l.native.rmPending(l.ctx, rm), 'rm_pending');
}

/** Steps end after the entry at hand; nothing more is removed. */
export function rmStop(rm: number): void {
  const l = getLoop();
  checkErrno(l.native.rmStop(l.ctx, rm), 'rm_stop');
}

/** Frees the engine, closing what it holds; every step must have returned. */
export function rmClose(rm: number): void {
  const l = getLoop();
  checkErrno(l.native.rmFree(l.ctx, rm), 'rm_free');
}

/** The engine's glob matcher (for tests against src/walk/glob.ts). */
export function rmGlobMatch(pattern: Uint8Array, s: Uint8Array): boolean {
  return checkErrno(getLoop().native.globMatch(pattern, pattern.length, s, s.length), 'glob_match') === 1;
}

/** Advances the removal on a libeio thread: until about budget bytes of
 *  records, budgetUs microseconds, or no work is left anywhere. */
export const rmStep = stepRequest(K.RMSTEP, 'rmstep', 'rm', RmStep);
