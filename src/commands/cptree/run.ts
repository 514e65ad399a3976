// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporter io.progress makes.
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { concurrencyText, useJobs } from '../../cli/jobs.js';
import { beginResumable, planCopy, PlanError, resumeRule, TreeCopier, type CopyCounters, type CopyPlan, type CopyStart } from '../../copy/index.js';
import { excluder } from '../../walk/glob.js';
import { precount } from '../../walk/precount.js';
import type { CptreeConfig } from './config.js';
import { makeEvents } from './events.js';
import { nowMs } from '../../aio/clock.js';

export interface CptreeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: CopyCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
}

export async function run(cfg: CptreeConfig, io: CptreeIo): Promise<number> {
  const started = nowMs();
  let plan: CopyPlan & CopyStart;
  try {
    plan = planCopy(cfg.src, cfg.dst, cfg.target);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.stderr.write(`cptree: ${e.message}\n`);
    return EXIT.USAGE;
  }

  // Output that nobody reads any more (EPIPE) ends quietly; the copy goes on.
  const writer = new ByteWriter(io.stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  const exclude = excluder(cfg.exclude);
  // The same command line run again after an interruption finds this marker
  // and continues into the same root, skipping what is already whole there.
  const marker = beginResumable(plan, 'cptree', { dryRun: cfg.dryRun, sync: cfg.fsync, opts: markerOpts(cfg) });
  const copyOpts = { ...cfg, ...resumeRule(plan, cfg), exclude };
  const copier = new TreeCopier(plan, copyOpts, makeEvents(mode, plan.dst, writer, io.stderr));
  // -j auto: the copy's queue follows the governor's threads
  const cc = copier.counters;
  const concurrency = useJobs(cfg, {
    onLimit: (n) => {
      if (!cfg.fixedOutstanding) copyOpts.maxOutstanding = 4 * n;
    },
    // a batch copies up to 64 names: entries are the work
    work: () => cc.files + cc.dirs + cc.symlinks + cc.others + cc.links + cc.skipped,
  });

  const uninterruptible = onInterrupt(() => copier.stop());
  const progress = await io.progress?.(copier.counters, started);
  // The ETA's totals: counted beside the copy, never before it.
  const counting = progress && plan.srcIsDir ? precount([plan.src], { oneFileSystem: cfg.oneFileSystem, exclude, bytes: true }, (w) => {
    copier.counters.totalFiles = w.files + w.symlinks + w.others;
    copier.counters.totalBytes = w.bytes;
  }) : undefined;
  try {
    await copier.run();
  } finally {
    uninterruptible();
    counting?.stop();
    await progress?.stop();
  }

  const jobs = concurrency();
  const c = copier.counters;
  marker.finish(!copier.interrupted && !copier.fatal && c.errors === 0);
  if (copier.fatal) io.stderr.write(`cptree: ${plan.dst}: ${copier.fatal.reason}: stopped\n`);
  const secs = (nowMs() - started) / 1000;
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...summaryFields(c), seconds: +secs.toFixed(3), interrupted: copier.interrupted, concurrency: jobs }) + '\n');
  await writer.end();
  if (cfg.summary || copier.interrupted) {
    const f = summaryFields(c);
    io.stderr.write(
      `cptree: ${f.files} files (${f.bytes} bytes), ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others, ${f.links} hard links, ${f.skipped} up to date, ${cfg.delete ? `${f.deleted} deleted, ` : ''}${f.errors} errors${f.vanished ? `, ${f.vanished} vanished` : ''}, ${secs.toFixed(3)} s, ${concurrencyText(jobs)}${copier.interrupted ? ', interrupted' : ''}\n`,
    );
  }
  return exitStatus({ interrupted: copier.interrupted, failed: c.errors > 0, vanished: c.vanished > 0 });
}

/** The options that shape the copy, as the marker records them. */
function markerOpts(cfg: CptreeConfig): string {
  const o = [cfg.update && '-u', cfg.checksum && '--checksum', cfg.delete === 'extra' && '--delete', cfg.delete === 'excluded' && '--delete-excluded', !cfg.xattrs && '--no-xattrs', cfg.oneFileSystem && '-x', ...cfg.exclude.map((g) => `--exclude=${g}`)];
  return o.filter(Boolean).join(' ');
}

function summaryFields(c: CopyCounters) {
  return { files: c.files, bytes: c.bytes, dirs: c.dirs, symlinks: c.symlinks, others: c.others, links: c.links, skipped: c.skipped, deleted: c.deleted, errors: c.errors, vanished: c.vanished };
}
