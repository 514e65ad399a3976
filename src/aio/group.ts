// IO::AIO::GRP: a request made of other requests, with an optional feeder that
// generates members while fewer than `limit` are active. Groups live entirely
// in JS (libeio's own groups would call their feeder from C during poll); the
// semantics follow IO::AIO's documentation, except that a cancelled group
// still calls its callback, with ECANCELED, like any other request here.
import { ECANCELED, IoaioError } from './errors.js';
import { Req, type AnyReq } from './req.js';

export type Feeder = (grp: Group) => void;

const NOOP_SPEC = { kind: -1, syscall: 'group' };

export class Group extends Req<unknown[]> {
  readonly members = new Set<AnyReq>();
  private feeder: Feeder | undefined;
  private feedLimit = 0;
  private added = 0;
  private results: unknown[] = [];
  private errnoValue = 0;
  private promise: Promise<unknown[]> | undefined;
  private holds = 0;
  /** @internal called when the group is cancelled (composites abort their work) */
  onCancel: (() => void) | undefined;
  private single: { value: unknown } | undefined;

  constructor(private readonly finishHook: (g: Group) => void) {
    super(NOOP_SPEC, 0, (g) => {
      const grp = g as Group;
      grp.cancelSubs();
      grp.onCancel?.();
    });
    this.state = 'running';
    // As in IO::AIO, a group can be filled until control returns to the event
    // loop; an empty group finishes then.
    setImmediate(() => this.maybeFinish());
  }

  /** Adds requests (any Req, including groups) and returns them. */
  add<R extends AnyReq[]>(...reqs: R): R {
    if (this.state === 'done') throw new Error('ioaio: cannot add requests to a group that has finished');
    for (const r of reqs) {
      if (!(r instanceof Req)) throw new TypeError('ioaio: group.add takes request handles (call requests with a callback)');
      if (r.done) continue;
      if (r.group) throw new Error('ioaio: request is already in a group');
      r.group = this;
      this.members.add(r);
      this.added++;
      if (this.cancelled) r.cancel();
    }
    return reqs;
  }

  /** Sets the feeder; as in IO::AIO, a limit of 0 becomes 2. */
  feed(fn: Feeder): this {
    this.feeder = fn;
    if (this.feedLimit === 0) this.feedLimit = 2;
    this.tryFeed();
    return this;
  }

  /** The feeder runs while fewer than n members are active; 0 pauses it. */
  limit(n: number): this {
    this.feedLimit = n;
    this.tryFeed();
    return this;
  }

  /** Values passed to the group's callback (or its promise). */
  result(...values: unknown[]): this {
    this.results = values;
    return this;
  }

  /** @internal keeps the group open while work outside it (a composite request's
   *  JS logic) is running; returns the release function. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.maybeFinish();
    };
  }

  /** @internal the group finishes with this value (not an array) or error. */
  settleWith(value: unknown, error: IoaioError | null): void {
    this.single = { value };
    if (error) this.error = error;
  }

  /** Makes the group finish with this errno (0 clears it). */
  errno(errno: number): this {
    this.errnoValue = errno;
    return this;
  }

  /** Cancels every member and drops the feeder; the group itself finishes normally. */
  cancelSubs(): void {
    this.feeder = undefined;
    for (const m of [...this.members]) m.cancel();
  }

  /** A promise of the group's results (rejects with its errno or ECANCELED). */
  get finished(): Promise<unknown[]> {
    if (!this.promise && this.done) this.promise = this.error ? Promise.reject(this.error) : Promise.resolve(this.value as unknown[]);
    this.promise ??= new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    return this.promise;
  }

  /** Called by the loop after a member's callback ran. */
  memberDone(r: AnyReq): void {
    this.members.delete(r);
    this.tryFeed();
    this.maybeFinish();
  }

  private tryFeed(): void {
    while (this.feeder && !this.cancelled && this.members.size < this.feedLimit) {
      const before = this.added;
      this.feeder(this);
      if (this.added === before) this.feeder = undefined;
    }
  }

  private maybeFinish(): void {
    if (this.state === 'done' || this.members.size > 0 || this.holds > 0) return;
    if (this.error) {
      /* set by settleWith */
    } else if (this.cancelled) this.error = new IoaioError({ errno: ECANCELED, syscall: 'group' });
    else if (this.errnoValue) this.error = new IoaioError({ errno: this.errnoValue, syscall: 'group' });
    this.value = this.single ? (this.single.value as unknown[]) : this.results;
    this.finishHook(this);
  }
}
