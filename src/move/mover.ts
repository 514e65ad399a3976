// The move engine (mvtree's): each root in turn, by rename(2) where source
// and target share a filesystem (merged entry by entry with --merge), else
// copied, made durable and then removed (cross-device.ts).
import type { IoaioError } from '../aio/index.js';
import { newCopyCounters } from '../copy/index.js';
import { newRemoveCounters } from '../remove/index.js';
import { CrossDevice } from './cross-device.js';
import type { MoveJob } from './plan.js';
import { Renamer } from './rename.js';
import type { MoveCounters, MoveEvents, MoveOptions, MovePhases } from './types.js';

export class Mover {
  readonly counters: MoveCounters = { renamed: 0, kept: 0, errors: 0, syncSeconds: 0, copy: newCopyCounters(), remove: newRemoveCounters(), phase: 'rename' };
  interrupted = false;
  /** the ENOSPC/EDQUOT error that stopped a copy (its source was left whole), if any */
  fatal: Error | undefined;
  /** why the last refused root could not go to its target (a non-empty
   *  directory without merge, a non-directory): nothing of it moved */
  refused: IoaioError | undefined;
  private readonly renamer: Renamer;
  private readonly cross: CrossDevice;

  constructor(
    private readonly jobs: readonly MoveJob[],
    private readonly opts: MoveOptions,
    events: MoveEvents,
    phases: MovePhases = {},
  ) {
    this.renamer = new Renamer(opts, this.counters, events);
    this.cross = new CrossDevice(opts, this.counters, events, phases);
  }

  async run(): Promise<void> {
    for (const job of this.jobs) {
      if (this.interrupted || this.fatal) break;
      await this.moveOne(job);
    }
  }

  /** Entries done so far, live (the copy and removal phases' counts only
   *  land in counters when a root is done): -j auto's measure of work. */
  work(): number {
    const c = this.counters;
    return c.renamed + c.kept + c.copy.files + c.copy.dirs + c.copy.symlinks + c.copy.others + c.copy.links + c.copy.skipped + c.remove.files + c.remove.dirs + c.remove.symlinks + c.remove.others + this.cross.work();
  }

  /** Ctrl-C: nothing new starts; what is in flight ends whole. */
  stop(): void {
    this.interrupted = true;
    this.cross.stop();
  }

  private async moveOne(job: MoveJob): Promise<void> {
    this.counters.phase = 'rename';
    const how = job.finished ? 'exdev' : await this.renamer.one(job.src, job.target);
    if (how === 'merge') {
      if (this.opts.merge) await this.renamer.merge(job.src, job.target, Buffer.alloc(0));
      else {
        this.counters.errors++;
        // as mv: an existing directory with entries is not replaced
        this.refused = this.renamer.refuse(job.target, job.src);
      }
      return;
    }
    if (how !== 'exdev') return;
    const r = await this.cross.move(job);
    if (r.interrupted) this.interrupted = true;
    if (r.fatal) this.fatal = r.fatal;
    if (r.refused) this.refused = r.refused;
  }
}

