// The strategy across filesystems (rename said EXDEV): the tree is copied
// with cptree's engine into its target, the target is made durable (one
// syncfs), and only then is the source removed by rmtree's engine, keeping
// every entry whose copy failed or was kept. So at every moment each file
// is whole in at least one place. The target holds a resume marker from
// before its first entry is copied until the source is gone: the same
// command run again after a crash finds it and continues into it. The
// marker sits beside the target (src/copy/marker.ts), so the target's own
// metadata is the source's from the moment the copy sets it.
import { closeSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { aio, IoaioError } from '../aio/index.js';
import { ownMarker, removeMarker, TreeCopier, writeMarker, type CopyPlan } from '../copy/index.js';
import { TreeRemover } from '../remove/index.js';
import { excluder } from '../walk/glob.js';
import { dirName } from '../copy/paths.js';
import type { MoveJob } from './plan.js';
import type { MoveCounters, MoveEvents, MoveOptions, MovePhases } from './types.js';
import { nowMs } from '../aio/clock.js';

/** How one root's move across filesystems ended. */
export interface CrossResult {
  /** ENOSPC/EDQUOT stopped the copy: nothing was removed */
  fatal?: IoaioError;
  /** the target root could not take the tree: nothing was changed */
  refused?: IoaioError;
  interrupted: boolean;
}

export class CrossDevice {
  private copier: TreeCopier | undefined;
  private remover: TreeRemover | undefined;

  /** Entries the copy and the removal under way have done (-j auto's rate). */
  work(): number {
    const c = this.copier?.counters;
    const r = this.remover?.counters;
    return (c ? c.files + c.dirs + c.symlinks + c.others + c.links + c.skipped : 0) + (r ? r.files + r.dirs + r.symlinks + r.others : 0);
  }
  private stopped = false;

  constructor(
    private readonly opts: MoveOptions,
    private readonly counters: MoveCounters,
    private readonly events: MoveEvents,
    private readonly phases: MovePhases,
  ) {}

  stop(): void {
    this.stopped = true;
    this.copier?.stop();
    this.remover?.stop();
  }

  async move(job: MoveJob): Promise<CrossResult> {
    const { opts } = this;
    if (job.finished) {
      if (!opts.dryRun) removeMarker(job.target);
      return { interrupted: false };
    }
    const root = job.srcIsDir ? this.prepareRoot(job) : { state: 'fresh' as const, removing: false };
    if (root.state === 'refused') return { interrupted: false, refused: root.error };
    const prepared = root.state;

    // 1. copy, with the totals of this root added to the run's
    const copier = new TreeCopier(this.plan(job), {
      reflink: 'auto',
      fsync: false,
      // An entry already whole in the target is not copied again and counts
      // as moved, so its source goes: in our own half-made target (an
      // earlier run's, written by rename only when whole) by type, size and
      // mtime; in a directory merged into, only when its bytes are the same
      // (equal size and mtime, with coarse timestamps, do not say that).
      update: prepared === 'resume',
      checksum: prepared === 'merge',
      // A run killed while removing the source left the target whole, its
      // directories' times the source's from before the unlinks moved them.
      keepExistingDirMeta: root.removing,
      dryRun: opts.dryRun,
      xattrs: opts.xattrs,
      oneFileSystem: opts.oneFileSystem,
      exclude: excluder(opts.exclude),
      // read at each pump: -j auto moves it (mvtree's run sets opts)
      get maxOutstanding() {
        return opts.maxOutstanding;
      },
      batch: opts.batch,
      noClobber: opts.noClobber,
      newer: opts.newer,
      track: true,
    }, this.events.copy(job.target));
    this.copier = copier;
    this.counters.phase = 'copy';
    const view = await this.phases.copy?.(copier.counters, job.src);
    try {
      await copier.run();
    } finally {
      await view?.stop();
      addCounts(this.counters.copy, copier.counters);
    }
    if (copier.fatal || copier.interrupted || this.stopped) return { fatal: copier.fatal, interrupted: copier.interrupted || this.stopped };

    // 2. durable before anything of the source goes
    if (opts.sync && !opts.dryRun) await this.syncTarget(job);

    // 3. the source, but for what did not move; the marker says so first
    if (job.srcIsDir && !opts.dryRun) writeMarker(job.target, { ...this.marker(job, prepared), removing: true }, opts.sync);
    const keep = copier.unmoved;
    const remover = new TreeRemover([{ path: job.src }], { force: true, oneFileSystem: opts.oneFileSystem, exclude: opts.exclude, keep, dryRun: opts.dryRun, jobs: () => opts.jobs }, this.events.remove);
    this.remover = remover;
    this.counters.phase = 'remove';
    const rview = await this.phases.remove?.(remover.counters, job.src);
    try {
      await remover.run();
    } finally {
      await rview?.stop();
      addCounts(this.counters.remove, remover.counters);
    }
    if (remover.interrupted) return { interrupted: true };

    // 4. complete: the marker goes
    if (job.srcIsDir && copier.counters.errors + remover.counters.errors === 0 && !opts.dryRun) removeMarker(job.target);
    return { interrupted: false };
  }

  /** Checks the target root and writes the marker beside it: 'fresh'
   *  (absent, the copy makes it; or an empty directory), 'resume' (our marker for
   *  this source), 'merge' (a directory with entries, and --merge). */
  private prepareRoot(job: MoveJob): { state: 'fresh' | 'resume' | 'merge'; removing: boolean } | { state: 'refused'; error: IoaioError } {
    const { opts } = this;
    let state: 'fresh' | 'resume' | 'merge' = 'fresh';
    let removing = false;
    const t = lstatOrUndefined(job.target);
    if (t) {
      if (!t.isDirectory()) {
        return this.refuse(job.target, constants.errno.ENOTDIR, `cannot overwrite a non-directory with the directory '${job.src}'`);
      }
      const m = ownMarker(job.target, 'mvtree', job.absSrc, job);
      if (m) {
        state = m.merge ? 'merge' : 'resume';
        removing = !!m.removing;
      }
      else if (readdirSync(job.target).length > 0) {
        if (!opts.merge) {
          return this.refuse(job.target, constants.errno.ENOTEMPTY, 'directory not empty (--merge merges into it)');
        }
        state = 'merge';
      }
    }
    // The marker sits beside the root, so it is written before the copy
    // makes the root: a crash in between leaves a marker and no root, which
    // the next run takes for a fresh start.
    if (!opts.dryRun) writeMarker(job.target, { ...this.marker(job, state), removing }, opts.sync);
    return { state, removing };
  }

  private marker(job: MoveJob, state: 'fresh' | 'resume' | 'merge') {
    return { tool: 'mvtree', src: job.absSrc, dev: job.dev, ino: job.ino, merge: state === 'merge' };
  }

  private plan(job: MoveJob): CopyPlan {
    return { src: job.src, dst: job.target, srcIsDir: job.srcIsDir, srcDev: job.dev };
  }

  /** Perf: one syncfs for the whole target filesystem, not an fsync per file. */
  private async syncTarget(job: MoveJob): Promise<void> {
    this.counters.phase = 'sync';
    const started = nowMs();
    const fd = openSync(job.srcIsDir ? job.target : dirName(job.target), 'r');
    try {
      await aio.syncfs(fd);
    } catch (e) {
      this.fail(job.target, e as IoaioError);
    } finally {
      closeSync(fd);
    }
    this.counters.syncSeconds += (nowMs() - started) / 1000;
  }

  /** A target root that cannot take the tree: reported; nothing of it was changed. */
  private refuse(target: Buffer, errno: number, message: string): { state: 'refused'; error: IoaioError } {
    const error = new IoaioError({ errno, syscall: 'move', path: target.toString(), message });
    this.fail(target, error);
    return { state: 'refused', error };
  }

  private fail(path: Buffer, err: Error): void {
    this.counters.errors++;
    this.events.error(path, err);
  }
}

function lstatOrUndefined(p: Buffer) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Adds a phase's counts (numbers only) to the run's. */
function addCounts<T extends object>(into: T, from: T): void {
  for (const k of Object.keys(from) as (keyof T)[]) {
    if (typeof from[k] === 'number' && k !== 'inflight' && k !== 'total' && k !== 'totalFiles' && k !== 'totalBytes') (into[k] as number) += from[k] as number;
  }
}
