// A request handle: IO::AIO's IO::AIO::REQ. Returned by every request called
// with a callback; the promise form uses the same object internally.
import type { IoaioError } from './errors.js';
import type { Group } from './group.js';
import type { Callback } from './types.js';
import type { Wd } from './wd.js';

/** Where a finished request's data sits when it is decoded. */
export interface Payload {
  buf: Buffer;
  f64: Float64Array;
  /** byte offset of the payload in buf (8-aligned) */
  off: number;
  len: number;
  /** the request's numeric result */
  result: number;
  /** buf is this payload's alone (a detached one): keep it without copying */
  owned: boolean;
}

export type Decoder<T> = (p: Payload) => T;

/** What a request function hands to the loop. */
export interface Spec<T> {
  kind: number;
  syscall: string;
  path?: string;
  dest?: string;
  /** Submits to the native core; returns a slot or -errno. Path requests
   *  leave it out and give ioaio_req_path's arguments instead (Perf: no
   *  closure or extra object per request). */
  submit?: (pri: number) => number;
  wd?: number;
  arg?: string | Uint8Array;
  a?: number;
  b?: number;
  decode?: Decoder<T>;
  /** Builds the error of a failed request from its errno and result, where
   *  the result says more than the errno (copyfile: which side failed). */
  fail?: (errno: number, result: number) => IoaioError;
  /** A buffer the caller lends for a payload too big for the poll buffer:
   *  used when the payload fits, instead of a new one (Perf: a walk's steps
   *  reuse a few buffers rather than leave one behind for the GC per step). */
  into?: Buffer;
  /** Kept referenced until completion (a read or write buffer). */
  keep?: unknown;
  /** Directory handles the request uses; they stay open until it ends. */
  wds?: Wd[];
}

/** Any request, whatever it resolves to (callbacks make Req invariant in T). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReq = Req<any>;

export type ReqState = 'new' | 'queued' | 'running' | 'done';

export class Req<T = unknown> {
  /** native slot while running */
  slot = -1;
  state: ReqState = 'new';
  /** set once cancel() was called */
  cancelled = false;
  group: Group | undefined;
  error: IoaioError | null = null;
  value: T | undefined;
  cb: Callback<T> | undefined;
  resolve: ((v: T) => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
  onDone: (() => void) | undefined;

  constructor(
    readonly spec: Spec<T>,
    /** priority, -4..4 */
    readonly pri: number,
    private readonly canceller: (req: Req<T>) => void,
  ) {}

  get syscall(): string {
    return this.spec.syscall;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Cancels the request. One that has not started yet never runs; one that is
   * already executing on a thread runs to its end (its side effects happen,
   * and an fd or directory handle it opened is closed for you). Either way
   * its callback (or promise) then gets an ECANCELED error, once libeio has
   * let go of it, so the buffers it used are free again. A finished request
   * is not affected. (IO::AIO skips the callback instead; we always call it
   * exactly once, so cleanup code has one place to live.)
   */
  cancel(): void {
    if (this.state === 'done' || this.cancelled) return;
    this.cancelled = true;
    this.canceller(this);
  }

  /** Replaces the callback (IO::AIO's $req->cb). */
  setCallback(cb: Callback<T>): void {
    this.cb = cb;
  }
}
