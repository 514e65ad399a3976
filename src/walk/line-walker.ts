// The native walk, for plain listings: libeio's threads list the
// directories and queue the subdirectories themselves (aio.walkStep), and
// this side copies out each step's block of ready-made lines. Only entries
// whose type readdir did not give come back one by one, for an lstat.
// Perf: on a 555k-entry tree the main thread then handles blocks of lines,
// not directories.
import { aio, walkClose, walkError, walkOpen, walkPending, walkPush, walkStep, type IoaioError, type Stats, type WalkStep } from '../aio/index.js';
import { LIST_DIRS, LIST_OTHERS, LIST_SLASH, StepBuffers } from '../aio/index.js';
import { countEntry, failPath } from './counters.js';
import { modeToType } from './entry-policy.js';
import type { RootInfo, WalkOptions } from './types.js';
import { EMPTY, WalkBase } from './walk-base.js';

/** Can these options be walked natively: plain lines, nothing per entry? */
export function walksNatively(o: WalkOptions): boolean {
  return !!o.lines && !o.exclude && !o.statAll && !o.follow && !o.oneFileSystem && !o.sort;
}

export class LineWalker extends WalkBase {
  /** the native walk (0 before run() and after it ends) */
  private walk = 0;
  private steps = 0;
  /** steps still to start with QUICK_STEP_US (opts.quickStart) */
  private quick = this.opts.quickStart ?? 0;
  private readonly buffers = new StepBuffers(STEP_BYTES + STEP_SLACK);

  protected begin(): void {
    const l = this.opts.lines!;
    const flags = (l.dirs ? LIST_DIRS : 0) | (l.others ? LIST_OTHERS : 0) | (l.slash ? LIST_SLASH : 0);
    this.walk = walkOpen(flags, l.term, Math.min(this.opts.maxDepth, 0x7fffffff));
  }

  protected pushRoot(root: Buffer, _st: unknown, info: RootInfo | undefined): void {
    walkPush(this.walk, root, info?.depth ?? 0);
  }

  protected drained(): boolean {
    return !this.walk || walkPending(this.walk) === 0;
  }

  protected dropQueued(): void {}

  protected end(): void {
    if (this.walk) walkClose(this.walk);
    this.walk = 0;
  }

  /** Keeps up to `parallel` steps running, no more than there are directories waiting for them. */
  protected pump(): void {
    const c = this.counters;
    const max = Math.min(this.opts.maxOutstanding, this.opts.parallel ?? this.opts.maxOutstanding);
    if (this.walk && !this.paused && !this.stopped && this.steps < max) {
      for (let n = Math.min(walkPending(this.walk), max - this.steps); n > 0; n--) {
        this.steps++;
        c.inflight++;
        const buf = this.buffers.take();
        const done = (err: IoaioError | null, step?: WalkStep) => this.stepDone(err, step, () => this.buffers.give(buf));
        const us = this.quick > 0 ? (this.quick--, QUICK_STEP_US) : STEP_US;
        if (this.reqOpts) walkStep(this.walk, STEP_BYTES, us, buf, this.reqOpts, done);
        else walkStep(this.walk, STEP_BYTES, us, buf, done);
      }
    }
    this.checkDone();
  }

  /** release gives the step's lent buffer back; the sink calls it once it
   *  has written the lines (Perf: written from the step's buffer, not copied). */
  private stepDone(err: IoaioError | null, step: WalkStep | undefined, release: () => void): void {
    this.steps--;
    this.counters.inflight--;
    if (err) {
      release();
      // Only ENOMEM or the like: the walk's own failures come as records.
      failPath(this.counters, this.sink, Buffer.from('.'), err);
      this.stop();
      return;
    }
    const s = step!;
    const c = this.counters;
    c.dirs += s.dirs;
    c.files += s.files;
    c.symlinks += s.symlinks;
    c.others += s.others;
    s.eachRecord((errno, depth, path) => {
      if (errno) failPath(c, this.sink, path, walkError(errno, path));
      else this.statUnknown(path, depth);
    });
    if (s.linesEnd > s.linesStart) this.sink.lines!(s.buf, s.linesStart, s.linesEnd, release);
    else release();
    this.pump();
  }

  /** An entry whose type readdir did not give. */
  private statUnknown(path: Buffer, depth: number): void {
    this.counters.inflight++;
    const done = (err: IoaioError | null, st?: Stats) => {
      this.counters.inflight--;
      if (this.stopped) return this.checkDone();
      if (err) failPath(this.counters, this.sink, path, err);
      else {
        this.counters.stats++;
        const type = modeToType(st!.mode);
        countEntry(this.counters, type, undefined);
        this.sink.entry(EMPTY, path, 0, path.length, type, undefined, depth);
        if (type === aio.DT_DIR && depth < this.opts.maxDepth) walkPush(this.walk, path, depth);
      }
      this.pump();
    };
    if (this.reqOpts) aio.lstat(path, this.reqOpts, done);
    else aio.lstat(path, done);
  }
}

/** Perf: a step returns after about this much output or time, so output
 *  streams and a stopped walk ends soon. */
const STEP_BYTES = 128 * 1024;
const STEP_US = 20_000;
/** opts.quickStart's steps: a step ends after the directory that crossed it */
const QUICK_STEP_US = 1;
/** A step stops after the directory that crossed its budget: room for most
 *  such (a bigger payload gets a buffer of its own). */
const STEP_SLACK = 64 * 1024;
