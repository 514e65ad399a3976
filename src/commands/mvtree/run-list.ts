// mvtree --from-list: the list's entries through the list mover
// (src/move/list-mover.ts), narrowed to a shard's under --shard; a shard's
// share of the tree without a list (share.ts), through the same; and
// --finalize, which gives the directories every shard made or found their
// metadata and removes their sources once empty, after all shards are done.
import type { Readable } from 'node:stream';
import { nowMs } from '../../aio/clock.js';
import { EXIT } from '../../cli/exit.js';
import { listEntries, missingList, REFUSED } from '../../cli/list-entries.js';
import { errorLine } from '../../cli/messages.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { missingStamps, missingStampsText, removeStamps, writeDoneStamp } from '../../copy/index.js';
import { journalPath, ListMover, moveTotals, MoveRefusal, planListMove, readJournals, removeJournals } from '../../move/index.js';
import { shardTag } from '../../shard/spec.js';
import type { MvtreeConfig } from './config.js';
import { runEvents } from './events.js';
import { followJobs } from './jobs.js';
import type { MvtreeIo } from './run.js';
import { shareEntries } from './share.js';
import { reportMove } from './summary.js';

/** An unsharded run's journal tag (a shard's is its own, '2of4'). */
const WHOLE = 'all';

function refused(cfg: MvtreeConfig): string | undefined {
  try {
    planListMove(cfg.srcs[0]!, cfg.dest);
  } catch (e) {
    if (e instanceof MoveRefusal) return `mvtree: ${e.message}\n`;
    throw e;
  }
  return cfg.fromList !== undefined ? missingList('mvtree', cfg.fromList) : undefined;
}

/** The list mover, its output, and -j auto over it (the libeio threads too). */
function setUp(cfg: MvtreeConfig, io: MvtreeIo, tag: string | undefined) {
  const { writer, events } = runEvents(cfg, io.stdout, io.stderr);
  const mover = new ListMover(cfg.srcs[0]!, cfg.dest, cfg, events, tag === undefined ? undefined : journalPath(cfg.dest, tag));
  return { writer, mover, concurrency: followJobs(cfg, () => mover.work()) };
}

export async function runList(cfg: MvtreeConfig, io: MvtreeIo & { stdin?: Readable }): Promise<number> {
  const started = nowMs();
  const why = refused(cfg);
  if (why) {
    io.stderr.write(why);
    return EXIT.USAGE;
  }
  const { shard } = cfg;
  const { writer, mover, concurrency } = setUp(cfg, io, shard ? shardTag(shard) : WHOLE);
  const c = mover.counters;
  const uninterruptible = onInterrupt(() => mover.stop());
  const progress = await io.copyProgress?.(c.copy, started);
  const src = cfg.srcs[0]!;
  try {
    const entries = cfg.fromList === undefined
      ? shareEntries(src, shard!, !mover.crossesFilesystems, cfg.batch, (p, err) => {
          c.errors++;
          io.stderr.write(errorLine('mvtree', p, err));
        })
      : listEntries(src, { file: cfg.fromList, stdin: io.stdin ?? process.stdin, nul: cfg.null, shard }, (p) => {
          c.errors++;
          io.stderr.write(errorLine('mvtree', p, new Error(REFUSED)));
        });
    await mover.run(entries);
    // one run for the whole list: its last step now (a shard's is --finalize)
    if (!shard && !mover.interrupted) await mover.finishDirs(mover.journal.records());
  } catch (e) {
    io.stderr.write(errorLine('mvtree', cfg.fromList === undefined ? src : Buffer.from(cfg.fromList), e as Error));
    c.errors++;
  } finally {
    uninterruptible();
    await progress?.stop();
  }
  const f = moveTotals(c);
  const whole = !mover.interrupted && f.errors === 0;
  if (whole && !cfg.dryRun) {
    if (shard) writeDoneStamp(cfg.dest, shard, f);
    else mover.journal.remove();
  }
  await reportMove(cfg, io.stderr, writer, { counters: c, interrupted: mover.interrupted, secs: (nowMs() - started) / 1000, jobs: concurrency(), shard });
  return exitStatus({ interrupted: mover.interrupted, failed: f.errors > 0, vanished: f.vanished > 0 });
}

/** --finalize: every shard's stamp, then the directories of every shard's journal. */
export async function finalizeList(cfg: MvtreeConfig, count: number, io: MvtreeIo): Promise<number> {
  const started = nowMs();
  const why = refused(cfg);
  if (why) {
    io.stderr.write(why);
    return EXIT.USAGE;
  }
  const missing = missingStamps(cfg.dest, count);
  if (missing.length) {
    io.stderr.write(`mvtree: ${missingStampsText(cfg.dest, missing, count)}\n`);
    return EXIT.SOME_FAILED;
  }
  const tags = Array.from({ length: count }, (_, index) => shardTag({ index, count }));
  const { writer, mover, concurrency } = setUp(cfg, io, undefined);
  await mover.finishDirs(readJournals(tags.map((t) => journalPath(cfg.dest, t))));
  const f = moveTotals(mover.counters);
  if (f.errors === 0 && !cfg.dryRun) {
    removeStamps(cfg.dest, count);
    removeJournals(cfg.dest, tags);
  }
  await reportMove(cfg, io.stderr, writer, { counters: mover.counters, interrupted: false, secs: (nowMs() - started) / 1000, jobs: concurrency() });
  return f.errors ? EXIT.SOME_FAILED : EXIT.OK;
}
