// --sort: depth first, each directory's entries in byte order, streamed as
// it goes (a directory's contents follow its own line, as with find). The
// output order is fixed, but the reads are not serial: when a directory is
// read, its subdirectories' reads and its entries' stats are started at once,
// within maxOutstanding, so they are usually ready by the time the output
// reaches them. Memory holds the directories on the current path and those
// prefetched.
import { aio, DirBatch, IoaioError, type Stats } from '../aio/index.js';
import { childNode, rootNode, type DirNode } from './node.js';
import { countEntry, failPath, newCounters } from './counters.js';
import { descends, judgeStat, modeToType, needsStat } from './entry-policy.js';
import type { RootInfo, WalkCounters, WalkOptions, WalkSink } from './types.js';

const { DT_DIR } = aio;

/** A directory's read, started ahead of being printed. */
class Load {
  batch: DirBatch | undefined;
  error: IoaioError | undefined;
  done = false;
  onDone: (() => void) | undefined;
}

interface Frame {
  node: DirNode;
  load: Load;
  /** entry indexes in byte order of their names */
  order: number[];
  pos: number;
  /** per entry: undefined (no stat needed), PENDING, SKIP (excluded), or the stat's outcome */
  stats: (Stats | IoaioError | typeof PENDING | typeof SKIP | undefined)[];
  /** prefetched reads of subdirectories, by entry index */
  children: Map<number, Load>;
}

export class SortedWalker {
  readonly counters: WalkCounters = newCounters();
  private readonly frames: Frame[] = [];
  private paused = false;
  private stopped = false;
  private running = false;
  private finish: (() => void) | undefined;

  constructor(
    private readonly opts: WalkOptions,
    private readonly sink: WalkSink,
  ) {}

  async run(): Promise<void> {
    for (const [i, root] of this.opts.roots.entries()) {
      if (this.stopped) break;
      await this.walkRoot(root, this.opts.rootInfo?.[i]);
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.advance();
  }

  stop(): void {
    this.stopped = true;
    this.frames.length = 0;
    this.advance();
  }

  private statFn() {
    return this.opts.follow ? aio.stat : aio.lstat;
  }

  private async walkRoot(root: Buffer, info: RootInfo | undefined): Promise<void> {
    let st: Stats;
    try {
      this.counters.inflight++;
      st = await this.statFn()(root);
    } catch (e) {
      failPath(this.counters, this.sink, root, e as IoaioError);
      return;
    } finally {
      this.counters.inflight--;
    }
    this.counters.stats++;
    const type = modeToType(st.mode);
    countEntry(this.counters, type, st);
    const depth = info?.depth ?? 0;
    this.sink.entry(EMPTY, root, 0, root.length, type, this.opts.statAll ? st : undefined, depth);
    if (type !== DT_DIR || this.opts.maxDepth <= depth || !(info?.descend ?? true)) return;
    const node = rootNode(root, st.dev, `${st.dev}:${st.ino}`, info);
    await new Promise<void>((resolve) => {
      this.finish = resolve;
      this.push(node, this.read(node));
    });
  }

  private read(node: DirNode): Load {
    const load = new Load();
    this.counters.inflight++;
    aio.readdirBatch(node.path, 0, (err, batch) => {
      this.counters.inflight--;
      load.done = true;
      if (err) load.error = err;
      else load.batch = batch;
      load.onDone?.();
    });
    return load;
  }

  private push(node: DirNode, load: Load): void {
    const frame: Frame = { node, load, order: [], pos: 0, stats: [], children: new Map() };
    this.frames.push(frame);
    if (load.done) this.prepare(frame);
    else
      load.onDone = () => {
        this.prepare(frame);
        this.advance();
      };
    this.advance();
  }

  /** On load: sort the entries, start their stats and the first subdirectories' reads. */
  private prepare(f: Frame): void {
    const b = f.load.batch;
    if (!b) return;
    const names: Buffer[] = [];
    for (let i = 0; i < b.count; i++) names.push(b.nameBytes(i));
    f.order = names.map((_, i) => i).sort((x, y) => Buffer.compare(names[x]!, names[y]!));
    const { exclude, maxDepth } = this.opts;
    const descend = f.node.depth + 1 < maxDepth;
    for (const i of f.order) {
      if (exclude && exclude(names[i]!, f.node.rel)) {
        f.stats[i] = SKIP;
        continue;
      }
      const t = b.type(i);
      if (needsStat(this.opts, t, descend)) {
        const child = childNode(f.node, b.buf, b.nameStart(i), b.nameEnd(i));
        f.stats[i] = PENDING;
        this.counters.inflight++;
        this.statFn()(child.path, (err, st) => {
          this.counters.inflight--;
          f.stats[i] = err ?? st;
          this.advance();
        });
      } else if (t === DT_DIR && descend && f.children.size < this.opts.maxOutstanding) {
        f.children.set(i, this.read(childNode(f.node, b.buf, b.nameStart(i), b.nameEnd(i))));
      }
    }
  }

  /** Prints entries in order as far as what has arrived allows. */
  private advance(): void {
    if (this.running) return; // re-entered from a callback: the outer loop goes on
    this.running = true;
    try {
      while (!this.paused && !this.stopped) {
        const f = this.frames[this.frames.length - 1];
        if (!f) break;
        if (!f.load.done) return;
        if (f.load.error) {
          failPath(this.counters, this.sink, f.node.path, f.load.error);
          this.frames.pop();
          continue;
        }
        if (f.pos >= f.order.length) {
          this.frames.pop();
          continue;
        }
        const i = f.order[f.pos]!;
        const s = f.stats[i];
        if (s === PENDING) return; // its stat is on the way; its callback advances
        f.pos++;
        if (s === SKIP) continue;
        const b = f.load.batch!;
        const child = childNode(f.node, b.buf, b.nameStart(i), b.nameEnd(i));
        let type = b.type(i);
        let st: Stats | undefined;
        if (s !== undefined) {
          // a stat was made: the shared policy reads it
          if (!(s instanceof IoaioError)) this.counters.stats++;
          const v = s instanceof IoaioError ? judgeStat(this.opts, child, type, s, undefined) : judgeStat(this.opts, child, type, null, s);
          if (!v.listed) {
            failPath(this.counters, this.sink, child.path, v.err);
            continue;
          }
          type = v.type;
          st = v.st;
        }
        countEntry(this.counters, type, st);
        this.sink.entry(f.node.prefix, b.buf, b.nameStart(i), b.nameEnd(i), type, this.opts.statAll ? st : undefined, child.depth);
        if (!descends(this.opts, child, type, st)) continue;
        this.push(child, f.children.get(i) ?? this.read(child));
        // the loop goes on with the new frame on top
      }
    } finally {
      this.running = false;
    }
    if (this.frames.length === 0 || this.stopped) {
      if (this.counters.inflight === 0 || this.stopped) {
        const f = this.finish;
        this.finish = undefined;
        f?.();
      }
    }
  }


}

const EMPTY = Buffer.alloc(0);
const PENDING = Symbol('pending');
const SKIP = Symbol('skip');
