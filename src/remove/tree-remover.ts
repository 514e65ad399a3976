// The removal engine of the commands (rmtree's, and mvtree's for what it
// has moved): each PATH in turn through aio.rmtree, all threads on one tree,
// its failures and entries turned into events, its counts kept live.
import { constants } from 'node:os';
import { aio, IoaioError, type RmtreeCounts } from '../aio/index.js';
import type { RemovalRoot } from './plan.js';
import { newRemoveCounters, type RemoveCounters, type RemoveEvents, type RemoveOptions } from './types.js';

const KEYS = ['files', 'dirs', 'symlinks', 'others', 'errors', 'left', 'kept'] as const;

export class TreeRemover {
  readonly counters: RemoveCounters = newRemoveCounters();
  interrupted = false;
  private readonly ac = new AbortController();

  constructor(
    private readonly roots: readonly RemovalRoot[],
    private readonly opts: RemoveOptions,
    private readonly events: RemoveEvents,
  ) {}

  /** Removes every root; resolves when all are done, or stopped and settled.
   *  opts.rootsAtOnce roots go at once (a shard's share is many small
   *  ones: a file or a subtree each, where one at a time would wait a
   *  round trip apiece). */
  async run(): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < this.roots.length && !this.ac.signal.aborted) await this.removeRoot(this.roots[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.rootsAtOnce ?? 1, this.roots.length)) }, worker));
  }

  /** Ctrl-C: nothing new starts; the entries being removed are finished. */
  stop(): void {
    this.interrupted = true;
    this.ac.abort();
  }

  private async removeRoot(root: RemovalRoot): Promise<void> {
    const c = this.counters;
    // (the counts so far of this root: roots may run side by side)
    const seen: Record<(typeof KEYS)[number], number> = { files: 0, dirs: 0, symlinks: 0, others: 0, errors: 0, left: 0, kept: 0 };
    const add = (r: Readonly<RmtreeCounts>) => {
      for (const k of KEYS) {
        c[k] += r[k] - seen[k];
        seen[k] = r[k];
      }
    };
    const { events, opts } = this;
    const jobs = typeof opts.jobs === 'function' ? opts.jobs : () => opts.jobs as number;
    const shown = jobs();
    c.inflight += shown;
    try {
      const r = await aio.rmtree(root.path, {
        force: opts.force,
        oneFileSystem: opts.oneFileSystem,
        exclude: opts.exclude,
        keep: opts.keep,
        dryRun: opts.dryRun,
        jobs,
        signal: this.ac.signal,
        onEntry: events.wantsEntries ? (action, type, path) => events.entry(action, type, path) : undefined,
        onError: (err, path) => events.error(path, err),
        onProgress: add,
      });
      add(r);
      for (const p of r.leftPaths) events.left(p);
    } catch (e) {
      if (e instanceof IoaioError && e.errno === constants.errno.ECANCELED && this.ac.signal.aborted) return;
      // the root itself: missing (without force), or unreadable
      c.errors++;
      events.error(root.path, e instanceof Error ? e : new Error(String(e)));
    } finally {
      c.inflight -= shown;
    }
  }
}
