// cptree --from-list: the list's entries through the list copier
// (src/copy/list-copier.ts), narrowed to a shard's under --shard (by the
// hash of each path below SRC), with the same resume marker, done stamp
// and summaries as a tree copy; and --finalize --from-list, which gives the
// list's directories their metadata once every shard is done.
import type { Readable } from 'node:stream';
import { nowMs } from '../../aio/clock.js';
import { EXIT } from '../../cli/exit.js';
import { useJobs } from '../../cli/jobs.js';
import { errorLine } from '../../cli/messages.js';
import { listEntries, missingList, REFUSED } from '../../cli/list-entries.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { beginResumable, missingStamps, missingStampsText, removeStamps, resumeRule, writeDoneStamp, type CopyPlan, type CopyStart } from '../../copy/index.js';
import { ListCopier } from '../../copy/list-copier.js';
import { shardTag } from '../../shard/spec.js';
import type { CptreeConfig } from './config.js';
import type { CptreeIo } from './run.js';
import { reportCopy, summaryFields } from './summary.js';

/** The list's entries below SRC (this shard's only, under --shard). */
function entries(cfg: CptreeConfig, stdin: Readable, refused: (path: Buffer) => void, shard = cfg.shard) {
  return listEntries(cfg.src, { file: cfg.fromList!, stdin, nul: cfg.null, shard }, refused);
}

export async function runList(cfg: CptreeConfig, io: CptreeIo & { stdin: Readable }, plan: CopyPlan & CopyStart, events: ConstructorParameters<typeof ListCopier>[3], writer: { end(): Promise<void>; text(s: string): void }): Promise<number> {
  const started = nowMs();
  const missing = missingList('cptree', cfg.fromList!);
  if (missing) {
    io.stderr.write(missing);
    return EXIT.USAGE;
  }
  if (!plan.srcIsDir) {
    io.stderr.write(`cptree: ${cfg.src}: --from-list names entries below a directory, and this is not one\n`);
    return EXIT.USAGE;
  }
  const { shard } = cfg;
  const tag = shard ? shardTag(shard) : undefined;
  const marker = beginResumable(plan, 'cptree', { dryRun: cfg.dryRun, sync: cfg.fsync, opts: `--from-list=${cfg.fromList}`, tag });
  const copyOpts = { ...cfg, ...resumeRule(plan, cfg), exclude: undefined, deferDirMeta: shard !== undefined };
  const copier = new ListCopier(plan.src, plan.dst, copyOpts, events);
  const cc = copier.counters;
  const concurrency = useJobs(cfg, {
    onLimit: (n) => {
      if (!cfg.fixedOutstanding) copyOpts.maxOutstanding = 4 * n;
    },
    work: () => cc.files + cc.dirs + cc.symlinks + cc.others + cc.skipped,
  });
  const uninterruptible = onInterrupt(() => copier.stop());
  const progress = await io.progress?.(copier.counters, started);
  try {
    await copier.run(entries(cfg, io.stdin, (p) => {
      copier.counters.errors++;
      io.stderr.write(errorLine('cptree', p, new Error(REFUSED)));
    }));
  } catch (e) {
    io.stderr.write(`cptree: ${cfg.fromList}: ${(e as Error).message}\n`);
    copier.counters.errors++;
  } finally {
    uninterruptible();
    await progress?.stop();
  }
  const jobs = concurrency();
  const c = copier.counters;
  const whole = !copier.interrupted && c.errors === 0;
  marker.finish(whole);
  if (shard && whole && !cfg.dryRun) writeDoneStamp(plan.dst, shard, summaryFields(c));
  const secs = (nowMs() - started) / 1000;
  await reportCopy(cfg, io.stderr, writer, { counters: c, interrupted: copier.interrupted, jobs, secs, shard });
  return exitStatus({ interrupted: copier.interrupted, failed: c.errors > 0, vanished: c.vanished > 0 });
}

/** --finalize --from-list: every shard's stamp, then the list's directories' metadata. */
export async function finalizeList(cfg: CptreeConfig, count: number, io: CptreeIo & { stdin: Readable }, events: ConstructorParameters<typeof ListCopier>[3]): Promise<number> {
  const started = nowMs();
  const missing = missingStamps(cfg.dst, count);
  if (missing.length) {
    io.stderr.write(`cptree: ${missingStampsText(cfg.dst, missing, count)}\n`);
    return EXIT.SOME_FAILED;
  }
  const copier = new ListCopier(cfg.src, cfg.dst, { ...cfg, exclude: undefined, deferDirMeta: false }, events);
  try {
    // (a refused record: each shard reported it)
    await copier.collectDirs(entries(cfg, io.stdin, () => {}, undefined));
  } catch (e) {
    io.stderr.write(errorLine('cptree', Buffer.from(cfg.fromList!), e as Error));
    return EXIT.SOME_FAILED;
  }
  if (!cfg.dryRun) await copier.dirMeta();
  const errors = copier.counters.errors;
  if (errors === 0 && !cfg.dryRun) removeStamps(cfg.dst, count);
  if (cfg.summary === 'text') io.stderr.write(`cptree: finalized ${count} shards: the list's directories, ${errors} errors, ${((nowMs() - started) / 1000).toFixed(3)} s\n`);
  return errors ? EXIT.SOME_FAILED : EXIT.OK;
}
