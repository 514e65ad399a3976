// The bridge between libeio and Node's event loop (IO::AIO's poll_fileno and
// poll_cb). A socket watches the native context's wake-up pipe; when it
// becomes readable we call ioaio_poll, which hands over every finished
// request in one buffer. The socket is referenced only while requests are
// outstanding, so an idle process exits by itself.
import { Socket } from 'node:net';
import { ECANCELED, IoaioError } from './errors.js';
import { Fifo } from './fifo.js';
import { loadNative, type Ctx, type Native } from './native/binding.js';
import { MODE_BATCH, MODE_TURNS, POLL_FLAGS_AT, POLL_HEADER, POLL_MORE_DONE, POLL_MORE_RESULTS, R_CANCELLED, R_DETACHED, REC_ERRNO_AT, REC_HEADER, REC_LEN_AT, REC_RESULT_AT, REC_RFLAGS_AT, REC_SLOT_AT } from './native/kinds.js';
import { Group } from './group.js';
import type { Payload, Req } from './req.js';
import { nowMs } from './clock.js';

const BUF_SIZE = 256 * 1024;
const PRI_LEVELS = 9;
/** Submit at once when this many are staged, so threads never wait on a long JS loop. */
const STAGE_MAX = 64;

export class Loop {
  readonly native: Native;
  readonly ctx: Ctx;
  private readonly socket: Socket;
  private readonly buf = Buffer.alloc(BUF_SIZE);
  private readonly f64 = new Float64Array(this.buf.buffer, this.buf.byteOffset, BUF_SIZE / 8);
  private readonly u32 = new Uint32Array(this.buf.buffer, this.buf.byteOffset, BUF_SIZE / 4);
  private readonly i32 = new Int32Array(this.buf.buffer, this.buf.byteOffset, BUF_SIZE / 4);
  private readonly pending: (Req<unknown> | undefined)[] = [];
  /** Requests held in JS because of maxOutstanding, one queue per priority. */
  private readonly waiting: Fifo<Req<unknown>>[] = Array.from({ length: PRI_LEVELS }, () => new Fifo());
  private nwaiting = 0;
  private referenced = false;
  /** the scheduled end of turn (cleared by close()), if any */
  private turnEndImmediate: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Requests staged in C, not yet in libeio's queue. */
  private staged = 0;
  private flushSubmits(): void {
    this.staged = 0;
    this.native.submitFlush(this.ctx);
  }
  /** End of a turn of the event loop: submit what this turn staged, then the
   *  final poll that re-arms the wake-up pipe (IOAIO_MODE_TURNS). */
  private readonly turnEnd = () => {
    this.turnEndImmediate = undefined;
    if (this.staged > 0) this.flushSubmits();
    this.drain(true);
  };
  /** Submitted to libeio and not yet handed back. */
  inflight = 0;
  maxOutstanding = Infinity;
  /** seconds of callbacks per poll, 0 for no limit (IO::AIO's max_poll_time) */
  maxPollTime = 0;
  /** decoded, waiting for their callbacks (only when maxPollTime cut a poll short) */
  private readonly ready = new Fifo<Req<unknown>>();
  /** Perf: one payload view reused for every record; decoders read it at once. */
  private readonly payload: Payload = { buf: this.buf, f64: this.f64, off: 0, len: 0, result: 0, owned: false };
  closed = false;
  readonly fileno: number;
  /** Set by a Governor (concurrency/governor.ts): fed at every poll with the
   *  completions so far and the integral of requests in service, at most
   *  meter.cap of them at once (the threads there are). */
  meter: { cap: number; sample(now: number, completed: number, busy: number): void } | undefined;
  private completed = 0;
  private busy = 0;
  private meterAt = 0;

  constructor() {
    this.native = loadNative();
    const ctx = this.native.ctxNew();
    if (!ctx) throw new Error('ioaio: could not start libeio (ioaio_ctx_new failed)');
    this.ctx = ctx;
    this.fileno = this.native.pollFileno(ctx);
    if (this.fileno < 0) throw new IoaioError({ errno: -this.fileno, syscall: 'ioaio_poll_fileno' });
    this.socket = new Socket({ fd: this.fileno, readable: true, writable: false });
    // Perf: the bytes only wake us; one poll drains every finished request.
    this.socket.on('data', () => this.pollCb());
    this.socket.unref();
    // Perf: submissions go to libeio in batches, one lock and one wake-up per
    // batch rather than a futex wake per request (see ioaio__submit_batch);
    // and while we are busy anyway, workers skip the wake-up byte, since we
    // poll once more at the end of the turn (fewer pipe writes, epoll
    // wake-ups and reads).
    this.native.setMode(ctx, MODE_BATCH | MODE_TURNS);
  }

  /** Hands a request to libeio, or parks it while maxOutstanding is reached. */
  start(req: Req<unknown>): void {
    if (this.inflight >= this.maxOutstanding) {
      req.state = 'queued';
      this.waiting[req.pri + 4]!.push(req);
      this.nwaiting++;
      this.ref();
      return;
    }
    this.submit(req);
  }

  private submit(req: Req<unknown>): void {
    const s = req.spec;
    const slot = s.submit ? s.submit(req.pri) : this.native.reqPath(this.ctx, s.kind, req.pri, s.wd!, s.arg!, s.a!, s.b!);
    if (slot < 0) {
      // Never call back synchronously: the caller has not even got the handle yet.
      req.error = new IoaioError({ errno: -slot, syscall: req.spec.syscall, path: req.spec.path, dest: req.spec.dest });
      req.state = 'running';
      this.ref();
      process.nextTick(() => this.finishAndDispatch([req]));
      return;
    }
    req.slot = slot;
    req.state = 'running';
    this.pending[slot] = req;
    this.inflight++;
    this.ref();
    // Perf: flushed once per turn of the event loop (setImmediate runs after
    // every callback and microtask of this turn), so all the requests that a
    // batch of results' callbacks submit go to libeio together: measured
    // fewer futex wake-ups and less main-thread CPU than flushing per tick.
    if (this.staged++ === 0) this.scheduleTurnEnd();
    else if (this.staged >= STAGE_MAX) this.flushSubmits();
  }

  cancel(req: Req<unknown>): void {
    if (req instanceof Group) return;
    if (req.state === 'queued') {
      this.waiting[req.pri + 4]!.remove(req);
      this.nwaiting--;
      req.state = 'running';
      req.error = cancelledError(req);
      process.nextTick(() => this.finishAndDispatch([req]));
    } else if (req.state === 'running' && req.slot >= 0) {
      this.native.cancel(this.ctx, req.slot);
    }
  }

  /** IO::AIO's poll_cb: handles every finished request now; returns how many. */
  pollCb(): number {
    return this.drain(false);
  }

  private drain(final: boolean): number {
    // pollCb() and friends after close() must not touch the freed context.
    if (this.closed) return 0;
    const meter = this.meter;
    let now = 0;
    if (meter) {
      // Perf: one clock read per poll, and only while a governor listens.
      now = nowMs();
      if (this.meterAt > 0) this.busy += Math.min(this.inflight, meter.cap) * (now - this.meterAt);
      this.meterAt = now;
    }
    let handled = 0;
    const batch: Req<unknown>[] = [];
    while (this.ready.size > 0) batch.push(this.ready.shift()!);
    // After a plain poll (or a final one that found work) the wake-up byte is
    // off until our next end of turn: make sure it comes.
    let armed = false;
    for (;;) {
      const n = final ? this.native.pollFinal(this.ctx, this.buf, BUF_SIZE) : this.native.poll(this.ctx, this.buf, BUF_SIZE);
      if (!final || n > 0) armed = true;
      final = false;
      if (n < 0) throw new IoaioError({ errno: -n, syscall: 'ioaio_poll' });
      const flags = this.u32[POLL_FLAGS_AT >> 2]!;
      // Perf: decode the whole batch before any callback runs, so a callback
      // that cancels or submits never sees a slot that is being recycled.
      for (let i = 0, off = POLL_HEADER; i < n; i++) {
        const slot = this.u32[(off + REC_SLOT_AT) >> 2]!;
        const len = this.u32[(off + REC_LEN_AT) >> 2]!;
        const req = this.pending[slot]!;
        this.pending[slot] = undefined;
        this.inflight--;
        this.complete(req, this.f64[(off + REC_RESULT_AT) >> 3]!, this.i32[(off + REC_ERRNO_AT) >> 2]!, this.buf[off + REC_RFLAGS_AT]!, off + REC_HEADER, len - REC_HEADER);
        batch.push(req);
        off += len;
      }
      handled += n;
      if (flags & POLL_MORE_DONE) continue;
      if (flags & POLL_MORE_RESULTS) armed = true;
      break;
    }
    if (armed) this.scheduleTurnEnd();
    if (meter) {
      this.completed += handled;
      meter.sample(now, this.completed, this.busy);
    }
    this.refill();
    if (this.maxPollTime > 0) this.dispatchUntil(batch, nowMs() + this.maxPollTime * 1000);
    else this.finishAndDispatch(batch);
    return handled;
  }

  /** Runs callbacks until the deadline; the rest wait for the next turn of the loop. */
  private dispatchUntil(batch: Req<unknown>[], deadline: number): void {
    let i = 0;
    try {
      while (i < batch.length) {
        this.finishAndDispatch([batch[i++]!]);
        if (nowMs() >= deadline) break;
      }
    } finally {
      if (i < batch.length) {
        for (; i < batch.length; i++) this.ready.push(batch[i]!);
        this.scheduleTurnEnd();
      }
    }
  }

  private complete(req: Req<unknown>, result: number, errno: number, rflags: number, off: number, len: number): void {
    if (rflags & R_CANCELLED) {
      req.error = cancelledError(req);
    } else if (errno) {
      const s = req.spec;
      req.error = s.fail ? s.fail(errno, result) : new IoaioError({ errno, syscall: s.syscall, path: s.path, dest: s.dest });
    } else if (req.spec.decode) {
      let p: Payload;
      if (rflags & R_DETACHED) {
        const bytes = this.f64[off >> 3]!;
        const lent = req.spec.into;
        const own = lent && lent.length >= bytes && lent.byteOffset % 8 === 0 ? lent.subarray(0, bytes) : Buffer.allocUnsafeSlow(bytes);
        this.native.take(this.ctx, req.slot, own, bytes);
        p = { buf: own, f64: new Float64Array(own.buffer, own.byteOffset, own.byteLength >> 3), off: 0, len: bytes, result, owned: true };
      } else {
        p = this.payload;
        p.off = off;
        p.len = len;
        p.result = result;
      }
      try {
        req.value = req.spec.decode(p);
      } catch (e) {
        req.error = new IoaioError({ errno: 0, code: 'ERR_IOAIO_DECODE', syscall: req.spec.syscall, path: req.spec.path, cause: e, message: String(e) });
      }
    } else {
      req.value = result;
    }
    req.slot = -1;
  }

  /** Settles requests and runs their callbacks; a throwing callback does not
   *  stop the others (its exception is rethrown afterwards, uncaught). */
  finishAndDispatch(reqs: Req<unknown>[]): void {
    let thrown: unknown;
    let threw = false;
    for (const req of reqs) {
      try {
        this.dispatch(req);
      } catch (e) {
        if (!threw) thrown = e;
        threw = true;
      }
    }
    this.maybeIdle();
    if (threw) throw thrown;
  }

  dispatch(req: Req<unknown>): void {
    req.state = 'done';
    req.onDone?.();
    if (req.spec.wds) for (const wd of req.spec.wds) wd.release();
    try {
      if (req.cb) req.cb(req.error, req.value);
      if (req.error) req.reject?.(req.error);
      else req.resolve?.(req.value);
    } finally {
      req.group?.memberDone(req);
    }
  }

  private refill(): void {
    for (let p = PRI_LEVELS - 1; p >= 0 && this.nwaiting > 0 && this.inflight < this.maxOutstanding; ) {
      const req = this.waiting[p]!.shift();
      if (!req) {
        p--;
        continue;
      }
      this.nwaiting--;
      this.submit(req);
    }
  }

  private scheduleTurnEnd(): void {
    if (this.turnEndImmediate) return;
    this.turnEndImmediate = setImmediate(this.turnEnd);
  }

  private ref(): void {
    if (!this.referenced) {
      this.referenced = true;
      this.socket.ref();
    }
  }

  private maybeIdle(): void {
    if (this.inflight > 0 || this.nwaiting > 0 || this.ready.size > 0) return;
    if (this.referenced) {
      this.referenced = false;
      this.socket.unref();
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  get outstanding(): number {
    return this.inflight + this.nwaiting + this.ready.size;
  }

  /** Hands staged submissions to libeio now (before anything observes the pool). */
  submitNow(): void {
    if (this.staged > 0) this.flushSubmits();
  }

  /** IO::AIO's poll_wait: blocks until a result is ready (not if none is outstanding). */
  pollWait(timeoutMs = -1): boolean {
    if (this.inflight === 0) return false;
    return this.native.pollWait(this.ctx, timeoutMs) > 0;
  }

  /** IO::AIO's flush: blocks, polling, until nothing is outstanding. */
  flush(): void {
    while (this.outstanding > 0) {
      if (this.inflight > 0) this.pollWait();
      const limit = this.maxPollTime;
      this.maxPollTime = 0; // flush means: all of it, now
      try {
        this.pollCb();
      } finally {
        this.maxPollTime = limit;
      }
    }
  }

  /** Resolves once nothing is outstanding. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    const r = this.native.ctxFree(this.ctx);
    if (r < 0) throw new IoaioError({ errno: -r, syscall: 'ioaio_ctx_free' });
    this.closed = true;
    if (this.turnEndImmediate) clearImmediate(this.turnEndImmediate);
    this.turnEndImmediate = undefined;
    this.socket.destroy();
  }
}

export function cancelledError(req: Req<unknown>): IoaioError {
  return new IoaioError({ errno: ECANCELED, syscall: req.spec.syscall, path: req.spec.path, dest: req.spec.dest });
}
