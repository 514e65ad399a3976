// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporter io.progress makes.
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ByteWriter } from '../../cli/byte-writer.js';
import { errorLine } from '../../cli/messages.js';
import { missingList, REFUSED } from '../../cli/list-entries.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { concurrencyText, useJobs } from '../../cli/jobs.js';
import { planRemoval, RefusalError, TreeRemover, type RemovalRoot, type RemoveCounters } from '../../remove/index.js';
import { aio } from '../../aio/index.js';
import { join, planShare } from '../../shard/partition.js';
import { shardTag, type Shard } from '../../shard/spec.js';
import { excluder } from '../../walk/glob.js';
import { precount } from '../../walk/precount.js';
import type { RmtreeConfig } from './config.js';
import { listRoots } from './list.js';
import { makeEvents } from './events.js';
import { nowMs } from '../../aio/clock.js';

export interface RmtreeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: RemoveCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
  /** where --from-list - reads */
  stdin?: Readable;
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
  let refused = 0;
  if (cfg.fromList !== undefined) {
    // --from-list: the list's entries below the one PATH (its own share of them under --shard)
    const root = roots[0]!.path;
    const missing = missingList('rmtree', cfg.fromList);
    if (missing) {
      io.stderr.write(missing);
      return EXIT.USAGE;
    }
    const st = statSync(root, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      io.stderr.write(`rmtree: ${root}: ${st ? '--from-list names entries below a directory, and this is not one' : 'no such directory'}\n`);
      return EXIT.USAGE;
    }
    try {
      const plan = await listRoots(root, cfg.fromList, io.stdin ?? process.stdin, cfg.null, cfg.shard);
      roots = plan.roots;
      refused = plan.refused.length;
      for (const p of plan.refused) io.stderr.write(errorLine('rmtree', p, new Error(REFUSED)));
    } catch (e) {
      io.stderr.write(errorLine('rmtree', Buffer.from(cfg.fromList), e as Error));
      return EXIT.SOME_FAILED;
    }
  } else if (cfg.shard && cfg.shard.count > 1) {
    // --shard: this shard's entries of each tree, each removed whole; the
    // directories every shard lists stay for a plain rmtree after them all
    roots = await shareRemoval(roots, cfg.shard, cfg.oneFileSystem);
  }

  // Output that nobody reads any more (EPIPE) ends quietly; the removal goes on.
  const writer = new ByteWriter(io.stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  // -j auto moves this; each step asks it before it starts
  let steps = cfg.jobs;
  // (a shard's or a list's roots are many small ones: as many at once as there are steps)
  const remover = new TreeRemover(roots, { ...cfg, jobs: () => steps, rootsAtOnce: cfg.fromList !== undefined || (cfg.shard && cfg.shard.count > 1) ? Math.max(1, steps) : 1 }, makeEvents(mode, writer, io.stderr));

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
  c.errors += refused;
  const secs = (nowMs() - started) / 1000;
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...summaryFields(c), seconds: +secs.toFixed(3), interrupted: remover.interrupted, dryRun: cfg.dryRun, concurrency: jobs }) + '\n');
  await writer.end();
  if (cfg.summary === 'json') io.stderr.write(JSON.stringify({ ...summaryFields(c), seconds: +secs.toFixed(3), interrupted: remover.interrupted, dryRun: cfg.dryRun, concurrency: jobs, ...(cfg.shard ? { shard: shardTag(cfg.shard) } : {}) }) + '\n');
  else if (cfg.summary === 'text' || remover.interrupted) {
    const f = summaryFields(c);
    io.stderr.write(
      `rmtree: ${f.files} files, ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others ${cfg.dryRun ? 'would be removed' : 'removed'}, ${f.errors} errors, ${f.left} left, ${secs.toFixed(3)} s, ${concurrencyText(jobs)}${remover.interrupted ? ', interrupted' : ''}\n`,
    );
  }
  return exitStatus({ interrupted: remover.interrupted, failed: c.errors > 0 || c.left > 0 });
}

/** Each tree's entries of the shard's share (a missing or unreadable PATH:
 *  shard 0 reports it). A subtree of the share is emptied, not removed:
 *  the directories at the cut must stay until every shard has planned, for
 *  a shard that lists the top levels later counts them to find the same
 *  cut (the plain rmtree after the shards removes them, empty). */
async function shareRemoval(roots: RemovalRoot[], shard: Shard, oneFileSystem: boolean): Promise<RemovalRoot[]> {
  const out: RemovalRoot[] = [];
  for (const r of roots) {
    let share;
    try {
      share = await planShare(r.path, shard, { oneFileSystem });
    } catch {
      if (shard.index === 0) out.push(r);
      continue;
    }
    await Promise.all(share.mine.map(async (e) => {
      const path = join(r.path, e.rel);
      if (!e.subtree) {
        if (e.type !== aio.DT_DIR) out.push({ path });
        return;
      }
      // (unreadable: the plain run after the shards reports it)
      const names = await aio.readdir(path, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
      await Promise.all((names as Buffer[]).map(async (n) => {
        const child = Buffer.concat([path, Buffer.from('/'), n]);
        // -x: a mount point below is the plain run's to leave and report
        if (oneFileSystem && (await aio.lstat(child).then((st) => st.dev !== share.dev, () => false))) return;
        out.push({ path: child });
      }));
    }));
  }
  return out;
}

function summaryFields(c: RemoveCounters) {
  return { files: c.files, dirs: c.dirs, symlinks: c.symlinks, others: c.others, errors: c.errors, left: c.left };
}
