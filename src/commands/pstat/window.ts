// What both of pstat's pipelines share once a request is built: the window
// of requests in flight (flow control, input order), the counters of paths
// in flight, and one place where a path's failure is reported.
import type { WalkCounters } from '../../walk/types.js';
import type { BatchResult } from './batch.js';
import type { Flow } from './flow.js';
import { Ordered } from './ordered.js';
import type { RawResult } from './raw-input.js';
import type { Tuning } from './tuning.js';

export type Result = BatchResult | RawResult;

export class Window {
  private inflight = 0;
  private seq = 0;
  /** paths whose request is back, in whatever order (-j auto's measure of work) */
  pathsDone = 0;
  private readonly ordered: Ordered<Result> | undefined;

  constructor(
    readonly flow: Flow,
    private readonly t: Tuning,
    readonly counters: WalkCounters,
    unordered: boolean,
    private readonly out: (r: Result) => void,
  ) {
    // t.maxInflight is read live: it is only known once the first path's
    // filesystem is (tuning.ts), and -j auto moves it after that
    this.ordered = unordered ? undefined : new Ordered<Result>(() => Math.max(4, t.maxInflight * 4), out);
  }

  /** Full: stdout is slow, or maxInflight requests are out, or the output
   *  waits for an early one and a later one would outrun its buffer. */
  full(): boolean {
    return this.flow.full || this.inflight >= this.t.maxInflight || (this.ordered !== undefined && !this.ordered.canIssue(this.seq));
  }

  /** Waits while full; false once the input should stop. */
  async room(): Promise<boolean> {
    while (!this.flow.stopped && this.full()) await this.flow.wait();
    return !this.flow.stopped;
  }

  /** A request of `paths` paths starts: its place in the output. */
  begin(paths: number): number {
    this.t.started();
    this.inflight++;
    this.counters.inflight += paths;
    return this.seq++;
  }

  /** A result with no request behind it (a batch of only bad paths). */
  place(): number {
    return this.seq++;
  }

  /** A request's result: out in input order (or at once, unordered). */
  done(seq: number, paths: number, r: Result): void {
    this.inflight--;
    this.counters.inflight -= paths;
    this.pathsDone += paths;
    this.t.finished(paths);
    this.deliver(seq, r);
    this.flow.wake();
  }

  deliver(seq: number, r: Result): void {
    if (this.ordered) this.ordered.put(seq, r);
    else this.out(r);
  }

  /** Until every request is back. */
  async drain(): Promise<void> {
    while (this.inflight > 0) await this.flow.wait();
  }
}
