// Turns a request function's Spec into either a promise (Coro::AIO style) or
// a Req handle with a callback (IO::AIO style), and owns the module's loop.
import { argError, IoaioError } from './errors.js';
import { Group, type Feeder } from './group.js';
import { cancelledError, Loop } from './loop.js';
import { Req, type Spec } from './req.js';
import { splitTail } from './args.js';
import type { Callback, ReqOptions } from './types.js';

let loop: Loop | undefined;
let shutDown = false;
let nextPri = 0;

export function getLoop(): Loop {
  if (loop) return loop;
  if (shutDown) {
    throw new IoaioError({ errno: 0, code: 'ERR_IOAIO_SHUTDOWN', syscall: 'submit', message: 'ioaio has been shut down (aio.shutdown())' });
  }
  loop = new Loop();
  return loop;
}

/** The loop if one has been started (pool statistics must not start one). */
export function currentLoop(): Loop | undefined {
  return loop;
}

/** Waits for outstanding requests, then frees the native context. */
export async function shutdown(): Promise<void> {
  shutDown = true;
  if (!loop) return;
  await loop.idle();
  loop.close();
  loop = undefined;
}

/** IO::AIO's aioreq_pri: sets the next request's priority; returns the old value. */
export function pri(value?: number): number {
  const old = nextPri;
  if (value !== undefined) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw argError('pri', 'an integer from -4 to 4', value);
    nextPri = clampPri(value);
  }
  return old;
}

/** IO::AIO's aioreq_nice: lowers the next request's priority by delta. */
export function nice(delta: number): void {
  if (typeof delta !== 'number' || !Number.isInteger(delta)) throw argError('delta', 'an integer', delta);
  nextPri = clampPri(nextPri - delta);
}

function clampPri(p: number): number {
  return p < -4 ? -4 : p > 4 ? 4 : p;
}

const canceller = (r: Req<unknown>) => getLoop().cancel(r);

/** Starts a request described by spec; see docs/library.md. */
export function issue<T>(spec: Spec<T>, opts: ReqOptions | undefined, cb: Callback<T> | undefined): Promise<T> | Req<T> {
  const l = getLoop();
  let p = nextPri;
  nextPri = 0;
  if (opts?.pri !== undefined) {
    if (typeof opts.pri !== 'number' || !Number.isInteger(opts.pri)) throw argError('pri', 'an integer from -4 to 4', opts.pri);
    p = clampPri(opts.pri);
  }
  const req = new Req<T>(spec, p, canceller as (r: Req<T>) => void);
  let promise: Promise<T> | undefined;
  if (cb) req.cb = cb;
  else promise = new Promise<T>((resolve, reject) => {
    req.resolve = resolve;
    req.reject = reject;
  });
  if (spec.wds) for (const wd of spec.wds) wd.retain();

  const signal = opts?.signal;
  if (signal?.aborted) {
    // Nothing was submitted; settle on the next tick like any other failure.
    req.state = 'running';
    req.cancelled = true;
    req.error = cancelledError(req as Req<unknown>);
    process.nextTick(() => l.finishAndDispatch([req as Req<unknown>]));
  } else {
    if (signal) {
      const onAbort = () => req.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      req.onDone = () => signal.removeEventListener('abort', onAbort);
    }
    l.start(req as Req<unknown>);
  }
  return promise ?? req;
}

/** Every way to write A's arguments: all required ones, then any number of
 *  the optional ones, in order (so a callback may follow `open(path, cb)`). */
type Prefixes<R extends unknown[], Acc extends unknown[] = []> = Acc | (R extends [infer H, ...infer Rest] ? Prefixes<Rest, [...Acc, H]> : never);
type ArgForms<A extends unknown[]> = Extract<Prefixes<Required<A>>, { length: A['length'] }>;

/** The overloads every request function has: promise without a callback, a Req with one. */
export interface Call<A extends unknown[], T> {
  (...args: [...ArgForms<A>, opts?: ReqOptions]): Promise<T>;
  (...args: [...ArgForms<A>, cb: Callback<T>]): Req<T>;
  (...args: [...ArgForms<A>, opts: ReqOptions, cb: Callback<T>]): Req<T>;
}

/** The extra forms of stat, lstat and fstat: with `{ bigint: true }`, a BigIntStats. */
export interface BigintForms<A extends unknown[], B> {
  (...args: [...A, opts: ReqOptions & { bigint: true }]): Promise<B>;
  (...args: [...A, opts: ReqOptions & { bigint: true }, cb: Callback<B>]): Req<B>;
}

const NO_OPTS: ReqOptions = Object.freeze({});

/** Defines a request function from a builder of its Spec. */
export function define<A extends unknown[], T>(build: (args: unknown[], opts: ReqOptions) => Spec<T>): Call<A, T> {
  return function request(...rest: unknown[]) {
    // Perf: the common call has neither options nor a callback; it needs no
    // splitting (and no objects for it).
    const last = rest[rest.length - 1];
    if (typeof last !== 'function' && (typeof last !== 'object' || last === null || last instanceof Uint8Array || Array.isArray(last))) {
      return issue(build(rest, NO_OPTS), undefined, undefined);
    }
    const { args, opts, cb } = splitTail(rest);
    return issue(build(args, opts ?? NO_OPTS), opts, cb as Callback<T> | undefined);
  } as Call<A, T>;
}

/** IO::AIO's aio_group: a request that finishes when all it contains have. */
export function group(cb?: Callback<unknown[]>, feeder?: Feeder): Group {
  const l = getLoop();
  const g = new Group((grp) => l.finishAndDispatch([grp as unknown as Req<unknown>]));
  if (cb) g.cb = cb;
  if (feeder) g.feed(feeder);
  return g;
}
