// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporters io makes.
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { moveTotals, MoveRefusal, Mover, planMoves, type MoveJob } from '../../move/index.js';
import type { MvtreeConfig } from './config.js';
import { runEvents } from './events.js';
import { livePhases, type ViewMakers } from './phases.js';
import { followJobs } from './jobs.js';
import { reportMove } from './summary.js';
import { finalizeList, runList } from './run-list.js';
import { nowMs } from '../../aio/clock.js';

/** Live views over the copy and the removal of a move across filesystems (copyProgress, removeProgress). */
export interface MvtreeIo extends ViewMakers {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function run(cfg: MvtreeConfig, io: MvtreeIo): Promise<number> {
  if (cfg.finalize !== undefined) return finalizeList(cfg, cfg.finalize, io);
  if (cfg.fromList !== undefined || cfg.shard) return runList(cfg, io);
  const started = nowMs();
  let jobs: MoveJob[];
  try {
    jobs = planMoves(cfg.srcs, cfg.dest, cfg.rule);
  } catch (e) {
    if (!(e instanceof MoveRefusal)) throw e;
    io.stderr.write(`mvtree: ${e.message}\n`);
    return EXIT.USAGE;
  }

  const { writer, events } = runEvents(cfg, io.stdout, io.stderr);
  const phases = livePhases(cfg, io, started);
  const mover = new Mover(jobs, cfg, events, phases);
  const concurrency = followJobs(cfg, () => mover.work());
  const uninterruptible = onInterrupt(() => mover.stop());
  try {
    await mover.run();
  } finally {
    uninterruptible();
    phases.stop();
  }

  const c = mover.counters;
  if (mover.fatal) io.stderr.write(`mvtree: ${cfg.dest}: ${(mover.fatal as { reason?: string }).reason ?? mover.fatal.message}: stopped; what was not copied is still in its source\n`);
  await reportMove(cfg, io.stderr, writer, { counters: c, interrupted: mover.interrupted, secs: (nowMs() - started) / 1000, jobs: concurrency() });
  const f = moveTotals(c);
  return exitStatus({ interrupted: mover.interrupted, failed: f.errors > 0 || c.remove.left > 0 || !!mover.fatal, vanished: f.vanished > 0 });
}
