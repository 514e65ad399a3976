// Helpers for the request tests: the callback form and IoaioError checks.
import { constants } from 'node:os';
import { expect } from 'vitest';
import { IoaioError, Req } from '../../src/aio/index.js';

export interface CbOutcome<T> {
  err: IoaioError | null;
  value: T | undefined;
  handle: unknown;
  calls: number;
}

/**
 * Runs a request in its callback form. Fails if the call does not return a
 * Req, if the callback runs synchronously, or if it runs more than once
 * (checked one macrotask after the first call).
 */
export function viaCb<T>(invoke: (cb: (err: IoaioError | null, value?: T) => void) => unknown): Promise<CbOutcome<T>> {
  return new Promise((resolve, reject) => {
    let returned = false;
    let calls = 0;
    const out: CbOutcome<T> = { err: null, value: undefined, handle: undefined, calls: 0 };
    const handle = invoke((err, value) => {
      calls++;
      if (!returned) {
        reject(new Error('callback was called synchronously'));
        return;
      }
      if (calls > 1) return;
      out.err = err;
      out.value = value;
      setImmediate(() => {
        out.calls = calls;
        if (calls !== 1) reject(new Error(`callback called ${calls} times`));
        else resolve(out);
      });
    });
    returned = true;
    out.handle = handle;
    if (!(handle instanceof Req)) reject(new Error(`callback form returned ${String(handle)}, not a Req`));
  });
}

/** The value of a successful callback-form call (asserts err === null). */
export async function cbOk<T>(invoke: (cb: (err: IoaioError | null, value?: T) => void) => unknown): Promise<T> {
  const o = await viaCb<T>(invoke);
  expect(o.err).toBeNull();
  return o.value as T;
}

export interface ErrShape {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

/** Asserts e is an IoaioError of this shape, with errno the code's positive number. */
export function checkIoError(e: unknown, want: ErrShape): IoaioError {
  expect(e).toBeInstanceOf(IoaioError);
  const err = e as IoaioError;
  expect(err.code).toBe(want.code);
  const n = (constants.errno as Record<string, number>)[want.code];
  expect(n).toBeGreaterThan(0);
  expect(err.errno).toBe(n);
  if (want.syscall !== undefined) expect(err.syscall).toBe(want.syscall);
  if (want.path !== undefined) expect(err.path).toBe(want.path);
  if (want.dest !== undefined) expect(err.dest).toBe(want.dest);
  return err;
}

/** Asserts the promise rejects with an IoaioError of this shape. */
export async function rejectsWith(p: Promise<unknown>, want: ErrShape): Promise<IoaioError> {
  let caught: unknown;
  let resolved = false;
  try {
    await p;
    resolved = true;
  } catch (e) {
    caught = e;
  }
  expect(resolved, `expected rejection with ${want.code}`).toBe(false);
  return checkIoError(caught, want);
}

/** Asserts the callback form reports an IoaioError of this shape and no value. */
export async function cbFails(invoke: (cb: (err: IoaioError | null, value?: unknown) => void) => unknown, want: ErrShape): Promise<IoaioError> {
  const o = await viaCb(invoke);
  expect(o.value).toBeUndefined();
  return checkIoError(o.err, want);
}

/** Whether the current process is root (permission checks do not apply). */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The process umask, without changing it. */
export function currentUmask(): number {
  const u = process.umask(0o022);
  process.umask(u);
  return u;
}
