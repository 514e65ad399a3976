// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporter io.progress makes.
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { concurrencyText, useJobs } from '../../cli/jobs.js';
import { planRemoval, RefusalError, TreeRemover, type RemovalRoot, type RemoveCounters } from '../../remove/index.js';
import { excluder } from '../../walk/glob.js';
import { precount } from '../../walk/precount.js';
import type { RmtreeConfig } from './config.js';
import { makeEvents } from './events.js';
import { nowMs } from '../../aio/clock.js';

export interface RmtreeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: RemoveCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
}

export async function run(cfg: RmtreeConfig, io: RmtreeIo): Promise<number> {
  const started = nowMs();
  let roots: RemovalRoot[];
  try {
    roots = planRemoval(cfg.paths);
  } catch (e) {
    if (!(e instanceof RefusalError)) throw e;
    io.stderr.write(`rmtree: ${e.message}\n`);
    return EXIT.USAGE;
  }

  // Output that nobody reads any more (EPIPE) ends quietly; the removal goes on.
  const writer = new ByteWriter(io.stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  // -j auto moves this; each step asks it before it starts
  let steps = cfg.jobs;
  const remover = new TreeRemover(roots, { ...cfg, jobs: () => steps }, makeEvents(mode, writer, io.stderr));

  const uninterruptible = onInterrupt(() => remover.stop());
  const progress = await io.progress?.(remover.counters, started);
  // The pre-count gets a thread of its own, so it never waits behind the
  // removal's steps (each holds its thread while work is left).
  const rc = remover.counters;
  const concurrency = useJobs(cfg, {
    onLimit: (n) => (steps = cfg.fixedOutstanding ? Math.min(n, cfg.maxOutstanding) : n),
    // a step removes what it can in its time: entries are the work
    work: () => rc.files + rc.dirs + rc.symlinks + rc.others,
    threads: (n) => n + (progress ? 1 : 0),
  });
  // A count that trailed the removal would miss what is already gone: it
  // takes directories in the same order, ahead of the removal's requests.
  const counting = progress
    ? precount(roots.map((r) => r.path), { oneFileSystem: cfg.oneFileSystem, exclude: excluder(cfg.exclude), bytes: false }, (w) => {
        remover.counters.total = w.files + w.dirs + w.symlinks + w.others; // the roots among them
      })
    : undefined;
  try {
    await remover.run();
  } finally {
    uninterruptible();
    counting?.stop();
    await progress?.stop();
  }

  const jobs = concurrency();
  const c = remover.counters;
  const secs = (nowMs() - started) / 1000;
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...summaryFields(c), seconds: +secs.toFixed(3), interrupted: remover.interrupted, dryRun: cfg.dryRun, concurrency: jobs }) + '\n');
  await writer.end();
  if (cfg.summary || remover.interrupted) {
    const f = summaryFields(c);
    io.stderr.write(
      `rmtree: ${f.files} files, ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others ${cfg.dryRun ? 'would be removed' : 'removed'}, ${f.errors} errors, ${f.left} left, ${secs.toFixed(3)} s, ${concurrencyText(jobs)}${remover.interrupted ? ', interrupted' : ''}\n`,
    );
  }
  return exitStatus({ interrupted: remover.interrupted, failed: c.errors > 0 || c.left > 0 });
}

function summaryFields(c: RemoveCounters) {
  return { files: c.files, dirs: c.dirs, symlinks: c.symlinks, others: c.others, errors: c.errors, left: c.left };
}
