// What the two unsorted walkers share (walker.ts: a readdir per directory;
// line-walker.ts: the native walk): counters, pause/resume/stop, the end of
// the walk, and each root's stat. Each walker is one strategy: how
// directories are listed and when the walk is idle.
import { aio, type IoaioError, type Stats } from '../aio/index.js';
import { countEntry, failPath, newCounters } from './counters.js';
import { modeToType } from './entry-policy.js';
import type { RootInfo, WalkCounters, WalkOptions, WalkSink } from './types.js';

export const EMPTY = Buffer.alloc(0);

export abstract class WalkBase {
  readonly counters: WalkCounters = newCounters();
  protected paused = false;
  protected stopped = false;
  private finish: (() => void) | undefined;
  /** request options when a priority was asked for */
  protected readonly reqOpts: { pri: number } | undefined;

  constructor(
    protected readonly opts: WalkOptions,
    protected readonly sink: WalkSink,
  ) {
    this.reqOpts = opts.pri ? { pri: opts.pri } : undefined;
  }

  /** Walks every root; resolves when all is done (or stop() was called). */
  run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.begin();
    this.opts.roots.forEach((root, i) => this.startRoot(root, this.opts.rootInfo?.[i]));
    this.pump();
    return done;
  }

  /** Stop issuing requests (output backpressure); resume() continues. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
  }

  /** Ends the walk: nothing new starts; run() resolves once in-flight requests return. */
  stop(): void {
    this.stopped = true;
    this.dropQueued();
    this.checkDone();
  }

  /** Before the roots: set-up of the strategy. */
  protected begin(): void {}
  /** Starts what may start now, then checkDone(). */
  protected abstract pump(): void;
  /** A root directory (depth 0) to list. */
  protected abstract pushRoot(root: Buffer, st: Stats, info: RootInfo | undefined): void;
  /** Nothing queued is left to start (stopped, or listed out). */
  protected abstract drained(): boolean;
  /** stop(): forget what is queued. */
  protected abstract dropQueued(): void;
  /** The walk is over: release what the strategy holds. */
  protected end(): void {}

  protected checkDone(): void {
    if (this.counters.inflight === 0 && (this.stopped || this.drained())) {
      this.end();
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }

  private startRoot(root: Buffer, info: RootInfo | undefined): void {
    this.counters.inflight++;
    const statFn = this.opts.follow ? aio.stat : aio.lstat;
    const rootDone = (err: IoaioError | null, st?: Stats) => {
      this.counters.inflight--;
      if (err) failPath(this.counters, this.sink, root, err);
      else if (!this.stopped) {
        this.counters.stats++;
        const type = modeToType(st!.mode);
        countEntry(this.counters, type, st);
        const depth = info?.depth ?? 0;
        this.sink.entry(EMPTY, root, 0, root.length, type, this.opts.statAll ? st : undefined, depth);
        if (type === aio.DT_DIR && this.opts.maxDepth > depth && (info?.descend ?? true)) this.pushRoot(root, st!, info);
      }
      this.pump();
    };
    if (this.reqOpts) statFn(root, this.reqOpts, rootDone);
    else statFn(root, rootDone);
  }
}
