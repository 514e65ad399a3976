import { constants as osConstants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { CF_AT } from './native/kinds.js';

const systemErrors = getSystemErrorMap();

/** errno (positive) to its name, e.g. 2 -> 'ENOENT'. */
export function errnoName(errno: number): string {
  return systemErrors.get(-errno)?.[0] ?? `E${errno}`;
}

export interface IoaioErrorInit {
  errno?: number;
  code?: string;
  syscall: string;
  path?: string;
  dest?: string;
  cause?: unknown;
  message?: string;
  side?: 'src' | 'dst';
}

/**
 * The one error type of ioaio. Shaped like Node's fs errors (code, errno,
 * syscall, path, dest) so code written for fs keeps working. `errno` is
 * positive, as libeio and IO::AIO's $! have it (Node's is negative).
 */
export class IoaioError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly path?: string;
  readonly dest?: string;
  /** copyfile: the side whose call (syscall) failed, the source (path) or
   *  the destination (dest); unset when no call did (no memory). */
  readonly side?: 'src' | 'dst';
  /** The reason alone, e.g. 'no such file or directory': for `tool: PATH: reason` lines. */
  readonly reason: string;

  constructor(init: IoaioErrorInit) {
    const errno = init.errno ?? 0;
    const code = init.code ?? errnoName(errno);
    const what = init.message ?? systemErrors.get(-errno)?.[1] ?? 'unknown error';
    const where = init.path === undefined ? '' : init.dest === undefined ? ` '${init.path}'` : ` '${init.path}' -> '${init.dest}'`;
    super(`${code}: ${what}, ${init.syscall}${where}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'IoaioError';
    this.code = code;
    this.errno = errno;
    this.syscall = init.syscall;
    this.reason = what;
    if (init.path !== undefined) this.path = init.path;
    if (init.dest !== undefined) this.dest = init.dest;
    if (init.side !== undefined) this.side = init.side;
  }
}

export const ECANCELED = osConstants.errno.ECANCELED;

/**
 * The error of a failed copyfile: `at` (an index into CF_AT, from the
 * request's result or a copyfiles record) names the side (`side`: 'src' is
 * path, 'dst' is dest) and the call (`syscall`: 'open', 'read', 'write',
 * 'rename', …), so a message can say `DST/x: write: no space left on
 * device` instead of blaming the source.
 */
export function copyfileError(errno: number, at: number, path: string, dest: string): IoaioError {
  const [side, syscall, message] = CF_AT[at] ?? CF_AT[0]!;
  return new IoaioError({ errno, syscall, path, dest, side, message });
}

/** A TypeError carrying a Node-style code, thrown at once for bad arguments. */
/** r, or an IoaioError when a native call returned -errno. */
export function checkErrno(r: number, syscall: string, path?: string): number {
  if (r < 0) throw new IoaioError({ errno: -r, syscall, path });
  return r;
}

export function argError(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? (value === null ? 'null' : value.constructor?.name ?? 'object') : String(value);
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${shown}`) as TypeError & { code: string };
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}
