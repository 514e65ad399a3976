// Tree walks advanced on libeio's threads (native/src/walk.c): the host
// pushes the roots, submits steps, and gets each step's output as a block of
// ready-to-print lines plus the few entries it must handle itself.
import { argError, checkErrno, IoaioError } from '../errors.js';
import { getLoop } from '../issue.js';
import { stepRequest } from './step.js';
import { K } from '../native/kinds.js';
import { toInt } from '../args.js';

/** What one step found (layout in ioaio.h). */
export class WalkStep {
  readonly dirs: number;
  readonly files: number;
  readonly symlinks: number;
  readonly others: number;
  /** directories this step listed */
  readonly listed: number;
  /** directories left on the walk's stack when the step ended */
  readonly pending: number;
  /** lines are buf[linesStart, linesEnd) */
  readonly linesStart = 32;
  readonly linesEnd: number;
  private readonly end: number;

  /** @internal buf holds the step payload */
  constructor(readonly buf: Buffer) {
    this.linesEnd = 32 + buf.readUInt32LE(0);
    this.end = this.linesEnd + buf.readUInt32LE(4);
    this.dirs = buf.readUInt32LE(8);
    this.files = buf.readUInt32LE(12);
    this.symlinks = buf.readUInt32LE(16);
    this.others = buf.readUInt32LE(20);
    this.listed = buf.readUInt32LE(24);
    this.pending = buf.readUInt32LE(28);
  }

  /** Calls fn for each record: errno 0 is an entry of unknown type to stat
   *  (at depth), else a directory that could not be listed. The path is a
   *  copy. */
  eachRecord(fn: (errno: number, depth: number, path: Buffer) => void): void {
    const b = this.buf;
    for (let pos = this.linesEnd; pos < this.end; ) {
      const len = b.readUInt32LE(pos + 8);
      fn(b.readUInt32LE(pos), b.readUInt32LE(pos + 4), Buffer.from(b.subarray(pos + 12, pos + 12 + len)));
      pos += 12 + len;
    }
  }
}

/** The error a step reports for a directory it could not list. */
export function walkError(errno: number, path: Buffer): IoaioError {
  return new IoaioError({ errno, syscall: 'opendir', path: path.toString() });
}

/** A new walk: flags LIST_DIRS, LIST_OTHERS, LIST_SLASH; term ends each
 *  line; directories deeper than maxDepth are not listed (roots are at 0). */
export function walkOpen(flags: number, term: number, maxDepth: number): number {
  const l = getLoop();
  return checkErrno(l.native.walkNew(l.ctx, toInt(flags, 'flags', 0, 7), toInt(term, 'term', 0, 255), toInt(maxDepth, 'maxDepth', 0, 0x7fffffff)), 'walk_new');
}

/** Puts a directory on the walk's stack: listed as path/name lines, at depth. */
export function walkPush(walk: number, path: Buffer, depth: number): void {
  if (!(path instanceof Uint8Array) || path.includes(0)) throw argError('path', 'a Buffer without NUL bytes', path);
  const l = getLoop();
  const z = Buffer.allocUnsafe(path.length + 1);
  z.set(path);
  z[path.length] = 0;
  checkErrno(l.native.walkPush(l.ctx, walk, z, toInt(depth, 'depth', 0, 0x7fffffff)), 'walk_push');
}

/** Directories on the walk's stack. */
export function walkPending(walk: number): number {
  const l = getLoop();
  return checkErrno(l.native.walkPending(l.ctx, walk), 'walk_pending');
}

/** Frees the walk (closing what it still holds open); every step must have returned. */
export function walkClose(walk: number): void {
  const l = getLoop();
  checkErrno(l.native.walkFree(l.ctx, walk), 'walk_free');
}

/** Advances the walk on a libeio thread: until about budget bytes of lines,
 *  budgetUs microseconds, or an empty stack. */
export const walkStep = stepRequest(K.WALKSTEP, 'walkstep', 'walk', WalkStep);
