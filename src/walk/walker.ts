// The readdir walk: one readdir request per directory (names, types and
// inodes in one batch, see DirBatch) and a stat only where readdir could not
// say the type or the options need one (entry-policy.ts). Everything on
// libeio's threads, at most maxOutstanding requests in flight, and depth
// first so that memory stays bounded by the tree's depth times its fanout.
// Plain listings take the native walk instead (line-walker.ts); makeWalker
// (walkers.ts) chooses.
import { aio, type DirBatch, type IoaioError, type Stats } from '../aio/index.js';
import { countEntry, failPath } from './counters.js';
import { descends, judgeStat, needsStat } from './entry-policy.js';
import { childNode, rootNode, type DirNode } from './node.js';
import { EMPTY, WalkBase } from './walk-base.js';
import type { RootInfo } from './types.js';


const { DT_DIR } = aio;

export class Walker extends WalkBase {
  private readonly stack: DirNode[] = [];

  protected pushRoot(root: Buffer, st: Stats, info: RootInfo | undefined): void {
    this.stack.push(rootNode(root, st.dev, `${st.dev}:${st.ino}`, info));
  }

  protected drained(): boolean {
    return this.stack.length === 0;
  }

  protected dropQueued(): void {
    this.stack.length = 0;
  }

  protected pump(): void {
    const max = this.opts.maxOutstanding;
    while (!this.paused && !this.stopped && this.counters.inflight < max && this.stack.length > 0) {
      const node = this.stack.pop()!;
      this.counters.inflight++;
      const listed = (err: IoaioError | null, batch?: DirBatch) => {
        this.counters.inflight--;
        if (err) failPath(this.counters, this.sink, node.path, err);
        else if (!this.stopped) this.list(node, batch!);
        this.pump();
      };
      if (this.reqOpts) aio.readdirBatch(node.path, 0, this.reqOpts, listed);
      else aio.readdirBatch(node.path, 0, listed);
    }
    this.checkDone();
  }

  /** Perf: the hot loop. Decided once per entry from d_type; no allocation
   *  unless the entry is a directory to descend into or needs a stat. */
  private list(node: DirNode, batch: DirBatch): void {
    const o = this.opts;
    const buf = batch.buf;
    const depth = node.depth + 1;
    const descend = depth < o.maxDepth;
    for (let i = 0, n = batch.count; i < n; i++) {
      const start = batch.nameStart(i);
      const end = batch.nameEnd(i);
      if (o.exclude && o.exclude(buf.subarray(start, end), node.rel)) continue;
      const type = batch.type(i);
      if (needsStat(o, type, descend)) {
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
    const statted = (err: IoaioError | null, st?: Stats) => {
      this.counters.inflight--;
      if (this.stopped) return this.checkDone();
      if (st) this.counters.stats++;
      const v = judgeStat(this.opts, child, dtype, err, st);
      if (!v.listed) failPath(this.counters, this.sink, child.path, v.err);
      else {
        countEntry(this.counters, v.type, v.st);
        this.sink.entry(EMPTY, child.path, 0, child.path.length, v.type, this.opts.statAll ? v.st : undefined, child.depth);
        if (descends(this.opts, child, v.type, v.st)) this.stack.push(child);
      }
      this.pump();
    };
    if (this.reqOpts) statFn(child.path, this.reqOpts, statted);
    else statFn(child.path, statted);
  }
}
