// Argument checks and conversions shared by every request. Bad types throw a
// TypeError at once (nothing is submitted); see docs/library.md, "Errors".
import { argError } from './errors.js';
import type { ReqOptions } from './types.js';
import { CWD, Wd } from './wd.js';

export interface NativePath {
  wd: number;
  /** what C receives: the string, or NUL-terminated bytes */
  arg: string | Uint8Array;
  /** for error messages */
  shown: string;
  /** the handle to keep open while the request runs */
  handle?: Wd;
}

function noNul(name: string, shown: string): TypeError {
  const err = new TypeError(`The "${name}" argument must not contain null bytes. Received ${JSON.stringify(shown)}`) as TypeError & { code: string };
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

function plain(name: string, p: string | Uint8Array): { arg: string | Uint8Array; shown: string } {
  if (typeof p === 'string') {
    if (p.includes('\0')) throw noNul(name, p);
    return { arg: p, shown: p };
  }
  if (p instanceof Uint8Array) {
    const shown = Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString();
    if (p.includes(0)) throw noNul(name, shown);
    const arg = Buffer.allocUnsafe(p.byteLength + 1);
    arg.set(p);
    arg[p.byteLength] = 0;
    return { arg, shown };
  }
  throw argError(name, 'a string, a Buffer, a directory handle or a [wd, path] pair', p);
}

export function toPath(p: unknown, name = 'path'): NativePath {
  // Perf: the common case, a string, in one object and one scan.
  if (typeof p === 'string') {
    if (p.includes('\0')) throw noNul(name, p);
    return { wd: 0, arg: p, shown: p, handle: undefined };
  }
  if (Array.isArray(p)) {
    const [wd, rel] = p as unknown as readonly [Wd, string | Uint8Array];
    if (!(wd instanceof Wd) || p.length !== 2) throw argError(name, 'a string, a Buffer, a directory handle or a [wd, path] pair', p);
    const { arg, shown } = plain(name, rel);
    return { wd: wd.use(), arg, shown: wd === CWD ? shown : `${wd.path}/${shown}`, handle: wd };
  }
  // IO::AIO: a handle alone is [wd, '.']
  if (p instanceof Wd) return { wd: p.use(), arg: '.', shown: p.path, handle: p };
  const { arg, shown } = plain(name, p as string | Uint8Array);
  return { wd: 0, arg, shown };
}

export function toFd(fd: unknown, name = 'fd'): number {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw argError(name, 'a non-negative integer file descriptor', fd);
  }
  return fd;
}

export function toInt(v: unknown, name: string, min = -(2 ** 53), max = 2 ** 53): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw argError(name, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

/** A uid or gid for chown: -1, null or undefined leave it (IO::AIO's undef). */
export function toId(v: unknown, name: string): number {
  return v === undefined || v === null ? -1 : toInt(v, name, -1, 0xfffffffe);
}

export function toNumber(v: unknown, name: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw argError(name, 'a number', v);
  return v;
}

export function toBuffer(v: unknown, name = 'buffer'): Uint8Array {
  if (!(v instanceof Uint8Array)) throw argError(name, 'a Buffer or Uint8Array', v);
  return v;
}

/** Splits `...rest` into IO::AIO-style trailing (opts?, callback?). */
export function splitTail(rest: unknown[]): { args: unknown[]; opts: ReqOptions | undefined; cb: ((...a: never[]) => void) | undefined } {
  let end = rest.length;
  let cb: ((...a: never[]) => void) | undefined;
  let opts: ReqOptions | undefined;
  if (end > 0 && typeof rest[end - 1] === 'function') cb = rest[--end] as typeof cb;
  if (end > 0 && isPlainObject(rest[end - 1])) opts = rest[--end] as ReqOptions;
  return { args: end === rest.length ? rest : rest.slice(0, end), opts, cb };
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The part [offset, offset + length) of a Buffer or Uint8Array (length
 *  undefined or null: to its end), checked (mlock, msync, madvise …). */
export function toBufRange(buf: unknown, offset: unknown, length: unknown): Uint8Array {
  if (!(buf instanceof Uint8Array)) throw argError('buf', 'a Buffer or Uint8Array', buf);
  const off = toInt(offset ?? 0, 'offset', 0, buf.byteLength);
  const len = length === undefined || length === null ? buf.byteLength - off : toInt(length, 'length', 0, buf.byteLength - off);
  return buf.subarray(off, off + len);
}
