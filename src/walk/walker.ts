// The tree walker shared by the tree commands. Plain line output (lines
// mode) runs as a native walk (aio.walkStep): libeio's threads list the
// directories and queue the subdirectories themselves, and this side copies
// out each step's block of lines. Everything else takes one readdir request
// per directory (names, types and inodes in one batch, see DirBatch) and a
// stat only where readdir could not say the type or the options need one.
// Either way: everything on libeio's threads, at most maxOutstanding
// requests in flight, and depth first so that memory stays bounded by the
// tree's depth times its fanout.
import { aio, DirBatch, IoaioError, LIST_DIRS, LIST_OTHERS, LIST_SLASH, type Stats } from '../aio/index.js';
import { walkClose, walkError, walkOpen, walkPending, walkPush, walkStep, type WalkStep } from '../aio/index.js';
import { childNode, isAncestor, rootNode, type DirNode } from './node.js';
import { countEntry, failPath, newCounters } from './counters.js';
import type { WalkCounters, WalkOptions, WalkSink } from './types.js';

const { DT_DIR, DT_LNK, DT_UNKNOWN } = aio;
const S_IFMT = 0o170000;

/** d_type from a stat mode. */
export function modeToType(mode: number): number {
  return (mode & S_IFMT) >> 12;
}

export class Walker {
  readonly counters: WalkCounters = newCounters();
  private readonly stack: DirNode[] = [];
  private paused = false;
  private stopped = false;
  private finish: (() => void) | undefined;
  private readonly needStatDirs: boolean;
  /** walk flags (LIST_*) in lines mode, else -1 */
  private readonly listFlags: number;
  /** Lines mode: the native walk (0 before run() and after it ends). */
  private walk = 0;
  private steps = 0;

  constructor(
    private readonly opts: WalkOptions,
    private readonly sink: WalkSink,
  ) {
    this.needStatDirs = opts.oneFileSystem || opts.follow;
    const l = opts.lines;
    const plain = l && !opts.exclude && !opts.statAll && !opts.follow && !opts.oneFileSystem && !opts.sort;
    this.listFlags = plain ? (l.dirs ? LIST_DIRS : 0) | (l.others ? LIST_OTHERS : 0) | (l.slash ? LIST_SLASH : 0) : -1;
  }

  /** Walks every root; resolves when all is done (or stop() was called). */
  run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    if (this.listFlags >= 0) this.walk = walkOpen(this.listFlags, this.opts.lines!.term, Math.min(this.opts.maxDepth, 0x7fffffff));
    for (const root of this.opts.roots) this.startRoot(root);
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
    this.stack.length = 0;
    this.checkDone();
  }

  private startRoot(root: Buffer): void {
    this.counters.inflight++;
    const statFn = this.opts.follow ? aio.stat : aio.lstat;
    statFn(root, (err, st) => {
      this.counters.inflight--;
      if (err) failPath(this.counters, this.sink, root, err);
      else if (!this.stopped) {
        this.counters.stats++;
        const type = modeToType(st!.mode);
        countEntry(this.counters, type, st);
        this.sink.entry(EMPTY, root, 0, root.length, type, this.opts.statAll ? st : undefined, 0);
        if (type === DT_DIR && this.opts.maxDepth > 0) {
          if (this.walk) walkPush(this.walk, root, 0);
          else this.stack.push(rootNode(root, st!.dev, `${st!.dev}:${st!.ino}`));
        }
      }
      this.pump();
    });
  }

  private pump(): void {
    if (this.walk) return this.pumpSteps();
    const max = this.opts.maxOutstanding;
    while (!this.paused && !this.stopped && this.counters.inflight < max && this.stack.length > 0) {
      const node = this.stack.pop()!;
      this.counters.inflight++;
      aio.readdirBatch(node.path, 0, (err, batch) => {
        this.counters.inflight--;
        if (err) failPath(this.counters, this.sink, node.path, err);
        else if (!this.stopped) this.list(node, batch!);
        this.pump();
      });
    }
    this.checkDone();
  }

  /** Lines mode: keeps up to `parallel` steps of the native walk running,
   *  no more than there are directories waiting for them. */
  private pumpSteps(): void {
    const c = this.counters;
    const max = Math.min(this.opts.maxOutstanding, this.opts.parallel ?? this.opts.maxOutstanding);
    if (!this.paused && !this.stopped && this.steps < max) {
      for (let n = Math.min(walkPending(this.walk), max - this.steps); n > 0; n--) {
        this.steps++;
        c.inflight++;
        walkStep(this.walk, STEP_BYTES, STEP_US, this.stepDone);
      }
    }
    this.checkDone();
  }

  private readonly stepDone = (err: IoaioError | null, step?: WalkStep): void => {
    this.steps--;
    this.counters.inflight--;
    if (err) {
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
    if (s.linesEnd > s.linesStart) this.sink.lines!(s.buf, s.linesStart, s.linesEnd);
    s.eachRecord((errno, depth, path) => {
      if (errno) failPath(c, this.sink, path, walkError(errno, path));
      else this.statUnknown(path, depth);
    });
    this.pump();
  };

  /** Lines mode: an entry whose type readdir did not give. */
  private statUnknown(path: Buffer, depth: number): void {
    this.counters.inflight++;
    aio.lstat(path, (err, st) => {
      this.counters.inflight--;
      if (this.stopped) return this.checkDone();
      if (err) failPath(this.counters, this.sink, path, err);
      else {
        this.counters.stats++;
        const type = modeToType(st!.mode);
        countEntry(this.counters, type, undefined);
        this.sink.entry(EMPTY, path, 0, path.length, type, undefined, depth);
        if (type === DT_DIR && depth < this.opts.maxDepth) walkPush(this.walk, path, depth);
      }
      this.pump();
    });
  }

  private checkDone(): void {
    const c = this.counters;
    if (c.inflight === 0 && (this.stopped || (this.stack.length === 0 && (!this.walk || walkPending(this.walk) === 0)))) {
      if (this.walk) walkClose(this.walk);
      this.walk = 0;
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }

  /** Perf: the hot loop. Decided once per entry from d_type; no allocation
   *  unless the entry is a directory to descend into or needs a stat. */
  private list(node: DirNode, batch: DirBatch): void {
    const { statAll, follow, exclude, maxDepth } = this.opts;
    const buf = batch.buf;
    const depth = node.depth + 1;
    const descend = depth < maxDepth;
    for (let i = 0, n = batch.count; i < n; i++) {
      const start = batch.nameStart(i);
      const end = batch.nameEnd(i);
      if (exclude && exclude(buf.subarray(start, end), node.rel)) continue;
      const type = batch.type(i);
      if (statAll || type === DT_UNKNOWN || (follow && type === DT_LNK) || (type === DT_DIR && this.needStatDirs && descend)) {
        this.statEntry(node, buf, start, end, type);
        continue;
      }
      countEntry(this.counters, type, undefined);
      this.sink.entry(node.prefix, buf, start, end, type, undefined, depth);
      if (type === DT_DIR && descend) this.stack.push(childNode(node, buf, start, end));
    }
  }

  private statEntry(node: DirNode, buf: Buffer, start: number, end: number, dtype: number): void {
    // The name must outlive this batch: copy it with its path.
    const child = childNode(node, buf, start, end);
    const statFn = this.opts.follow ? aio.stat : aio.lstat;
    this.counters.inflight++;
    statFn(child.path, (err, st) => {
      this.counters.inflight--;
      if (this.stopped) return this.checkDone();
      if (err) {
        // A dangling symlink under --follow is listed as a symlink, as find -L does.
        if (this.opts.follow && dtype === DT_LNK && err.code === 'ENOENT') this.emitLeaf(child, DT_LNK, undefined);
        else failPath(this.counters, this.sink, child.path, err);
        return this.pump();
      }
      this.counters.stats++;
      const type = modeToType(st!.mode);
      if (type === DT_DIR && this.opts.follow) {
        // A directory that is its own ancestor: reported, not listed (as find -L).
        const id = `${st!.dev}:${st!.ino}`;
        if (isAncestor(child.parent, id)) {
          failPath(this.counters, this.sink, child.path, new Error('filesystem loop detected'));
          return this.pump();
        }
        child.id = id;
      }
      this.emitLeaf(child, type, st);
      if (type === DT_DIR && child.depth < this.opts.maxDepth) this.descendInto(child, st!);
      this.pump();
    });
  }

  private emitLeaf(child: DirNode, type: number, st: Stats | undefined): void {
    countEntry(this.counters, type, st);
    this.sink.entry(EMPTY, child.path, 0, child.path.length, type, this.opts.statAll ? st : undefined, child.depth);
  }

  private descendInto(child: DirNode, st: Stats): void {
    if (this.opts.oneFileSystem && st.dev !== child.rootDev) return;
    this.stack.push(child);
  }


}

const EMPTY = Buffer.alloc(0);
/** Perf: a step returns after about this much output or time, so output
 *  streams and a stopped walk ends soon. */
const STEP_BYTES = 256 * 1024;
const STEP_US = 20_000;
