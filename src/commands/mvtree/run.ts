// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporters io makes.
import { aio } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import type { CopyCounters } from '../../copy/index.js';
import { MoveRefusal, Mover, planMoves, type MoveCounters, type MoveJob } from '../../move/index.js';
import type { RemoveCounters } from '../../remove/index.js';
import type { MvtreeConfig } from './config.js';
import { makeEvents } from './events.js';
import { nowMs } from '../../aio/clock.js';

type View = Promise<{ stop(): Promise<void> } | undefined>;

export interface MvtreeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Live views over the copy and the removal of a move across filesystems. */
  copyProgress?: (counters: CopyCounters, started: number) => View;
  removeProgress?: (counters: RemoveCounters, started: number) => View;
}

export async function run(cfg: MvtreeConfig, io: MvtreeIo): Promise<number> {
  const started = nowMs();
  let jobs: MoveJob[];
  try {
    jobs = planMoves(cfg.srcs, cfg.dest, cfg.rule);
  } catch (e) {
    if (!(e instanceof MoveRefusal)) throw e;
    io.stderr.write(`mvtree: ${e.message}\n`);
    return EXIT.USAGE;
  }
  aio.minParallel(cfg.jobs);
  aio.maxParallel(cfg.jobs);

  // Output that nobody reads any more (EPIPE) ends quietly; the move goes on.
  const writer = new ByteWriter(io.stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  const mover = new Mover(jobs, cfg, makeEvents(mode, writer, io.stderr), {
    copy: io.copyProgress && ((c) => io.copyProgress!(c, started)),
    remove: io.removeProgress && ((c) => io.removeProgress!(c, started)),
  });
  const onSigint = () => mover.stop();
  process.on('SIGINT', onSigint);
  try {
    await mover.run();
  } finally {
    process.off('SIGINT', onSigint);
  }

  const c = mover.counters;
  if (mover.fatal) io.stderr.write(`mvtree: ${cfg.dest}: ${(mover.fatal as { reason?: string }).reason ?? mover.fatal.message}: stopped; what was not copied is still in its source\n`);
  const secs = (nowMs() - started) / 1000;
  const f = summaryFields(c);
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...f, seconds: +secs.toFixed(3), interrupted: mover.interrupted, dryRun: cfg.dryRun }) + '\n');
  await writer.end();
  if (cfg.summary || mover.interrupted) {
    io.stderr.write(
      `mvtree: ${f.renamed} renamed; ${f.files} files (${f.bytes} bytes), ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others, ${f.links} hard links copied, ${f.upToDate} up to date; ${f.removed} source entries ${cfg.dryRun ? 'would be removed' : 'removed'}; ${f.kept} kept, ${f.errors} errors; sync ${f.syncSeconds.toFixed(3)} s; ${secs.toFixed(3)} s${mover.interrupted ? ', interrupted' : ''}\n`,
    );
  }
  if (mover.interrupted) return EXIT.INTERRUPTED;
  return f.errors > 0 || c.remove.left > 0 || mover.fatal ? EXIT.SOME_FAILED : EXIT.OK;
}

function summaryFields(c: MoveCounters) {
  const { copy: k, remove: r } = c;
  return {
    renamed: c.renamed,
    files: k.files,
    bytes: k.bytes,
    dirs: k.dirs,
    symlinks: k.symlinks,
    others: k.others,
    links: k.links,
    upToDate: k.skipped,
    removed: r.files + r.dirs + r.symlinks + r.others,
    kept: c.kept + k.kept,
    left: r.left,
    errors: c.errors + k.errors + r.errors,
    syncSeconds: c.syncSeconds,
  };
}
