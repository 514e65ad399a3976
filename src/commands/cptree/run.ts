// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporter io.progress makes.
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { useJobs } from '../../cli/jobs.js';
import { beginResumable, copyFlags, finalizeCopy, missingStampsText, planCopy, planCopyShare, PlanError, resumeRule, TreeCopier, writeDoneStamp, type CopyCounters, type CopyPlan, type CopyStart } from '../../copy/index.js';
import type { CopyShare } from '../../copy/types.js';
import { shardTag } from '../../shard/spec.js';
import type { Readable } from 'node:stream';
import { finalizeList, runList } from './run-list.js';
import { errorLine } from '../../cli/messages.js';
import { excluder } from '../../walk/glob.js';
import { precount } from '../../walk/precount.js';
import type { CptreeConfig } from './config.js';
import { makeEvents } from './events.js';
import { reportCopy, summaryFields } from './summary.js';
import { nowMs } from '../../aio/clock.js';

export interface CptreeIo {
  /** --from-list - reads it */
  stdin?: Readable;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: CopyCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
}

export async function run(cfg: CptreeConfig, io: CptreeIo): Promise<number> {
  if (cfg.finalize !== undefined) {
    if (cfg.fromList === undefined) return finalize(cfg, cfg.finalize, io);
    return finalizeList(cfg, cfg.finalize, { ...io, stdin: io.stdin ?? process.stdin }, makeEvents('none', cfg.dst, new ByteWriter(io.stdout, () => {}, () => {}), io.stderr));
  }
  const started = nowMs();
  const { shard } = cfg;
  const tag = shard ? shardTag(shard) : undefined;
  let plan: CopyPlan & CopyStart;
  try {
    plan = planCopy(cfg.src, cfg.dst, cfg.target, tag);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.stderr.write(`cptree: ${e.message}\n`);
    return EXIT.USAGE;
  }
  const exclude = excluder(cfg.exclude);
  // --shard: the levels every shard lists, and where this one's share begins
  let share: CopyShare | undefined;
  // (1 of 1 copies all of it, but still leaves its stamp for --finalize)
  if (shard && shard.count > 1 && plan.srcIsDir && cfg.fromList === undefined) {
    try {
      share = await planCopyShare(plan.src, shard, { exclude, oneFileSystem: cfg.oneFileSystem });
    } catch (e) {
      io.stderr.write(errorLine('cptree', plan.src, e as Error));
      return EXIT.SOME_FAILED;
    }
  } else if (shard && shard.index !== 0 && !plan.srcIsDir) {
    // a single entry is shard 0's
    return EXIT.OK;
  }

  // Output that nobody reads any more (EPIPE) ends quietly; the copy goes on.
  const writer = new ByteWriter(io.stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  if (cfg.fromList !== undefined) return runList(cfg, { ...io, stdin: io.stdin ?? process.stdin }, plan, makeEvents(mode, plan.dst, writer, io.stderr), writer);
  // The same command line run again after an interruption finds this marker
  // and continues into the same root, skipping what is already whole there.
  const marker = beginResumable(plan, 'cptree', { dryRun: cfg.dryRun, sync: cfg.fsync, opts: markerOpts(cfg), tag });
  const copyOpts = { ...cfg, ...resumeRule(plan, cfg), exclude, share };
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
  const whole = !copier.interrupted && !copier.fatal && c.errors === 0;
  marker.finish(whole);
  // the finalize step waits for every shard's stamp
  if (shard && whole && !cfg.dryRun && plan.srcIsDir) writeDoneStamp(plan.dst, shard, summaryFields(c));
  if (copier.fatal) io.stderr.write(`cptree: ${plan.dst}: ${copier.fatal.reason}: stopped\n`);
  const secs = (nowMs() - started) / 1000;
  await reportCopy(cfg, io.stderr, writer, { counters: c, interrupted: copier.interrupted, jobs, secs, shard });
  return exitStatus({ interrupted: copier.interrupted, failed: c.errors > 0, vanished: c.vanished > 0 });
}

/** cptree --finalize: the shards' shared directories get their metadata. */
async function finalize(cfg: CptreeConfig, count: number, io: CptreeIo): Promise<number> {
  const started = nowMs();
  const r = await finalizeCopy(cfg.src, cfg.dst, count, copyFlags({ ...cfg, exclude: undefined }), { exclude: excluder(cfg.exclude), oneFileSystem: cfg.oneFileSystem, dryRun: cfg.dryRun });
  if (r.unfinished.length) {
    io.stderr.write(`cptree: ${missingStampsText(cfg.dst, r.unfinished, count)}\n`);
    return EXIT.SOME_FAILED;
  }
  for (const f of r.errors) io.stderr.write(errorLine('cptree', f.path, f.err));
  const secs = ((nowMs() - started) / 1000).toFixed(3);
  if (cfg.summary === 'json') io.stderr.write(JSON.stringify({ finalized: count, dirs: r.dirs, errors: r.errors.length, seconds: +secs }) + '\n');
  else if (cfg.summary === 'text') io.stderr.write(`cptree: finalized ${count} shards: ${r.dirs} shared directories, ${r.errors.length} errors, ${secs} s\n`);
  return r.errors.length ? EXIT.SOME_FAILED : EXIT.OK;
}

/** The options that shape the copy, as the marker records them. */
function markerOpts(cfg: CptreeConfig): string {
  const o = [cfg.update && '-u', cfg.checksum && '--checksum', cfg.delete === 'extra' && '--delete', cfg.delete === 'excluded' && '--delete-excluded', !cfg.xattrs && '--no-xattrs', cfg.oneFileSystem && '-x', ...cfg.exclude.map((g) => `--exclude=${g}`)];
  return o.filter(Boolean).join(' ');
}

