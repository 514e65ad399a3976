// run(config, io) -> exit status. Knows nothing of the option parser or of
// terminals: progress goes to whatever reporter io.progress makes.
import { aio, IoaioError } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { concurrencyText, useJobs } from '../../cli/jobs.js';
import { errorLine } from '../../cli/messages.js';
import { shardTag } from '../../shard/spec.js';
import { shareRoots } from '../../shard/walk-roots.js';
import { failPath } from '../../walk/counters.js';
import { excluder } from '../../walk/glob.js';
import { makeWalker, type AnyWalker } from '../../walk/walkers.js';
import type { WalkCounters, WalkOptions } from '../../walk/types.js';
import type { TreescanConfig } from './config.js';
import { JsonSink, LineSink } from './sinks.js';
import { nowMs } from '../../aio/clock.js';

export interface TreescanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: WalkCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
}

export async function run(cfg: TreescanConfig, io: TreescanIo): Promise<number> {
  const started = nowMs();

  let walker: AnyWalker | undefined;
  const writer = new ByteWriter(
    io.stdout,
    (full) => (full ? walker?.pause() : walker?.resume()),
    () => walker?.stop(),
  );
  const report = (path: Buffer, err: Error) => io.stderr.write(errorLine('treescan', path, err));

  const syncs: Promise<void>[] = [];
  const onEntry = cfg.sync
    ? (prefix: Buffer, src: Buffer, start: number, end: number, type: number) => {
        if (type !== aio.DT_DIR && type !== aio.DT_REG) return;
        const path = Buffer.concat([prefix, src.subarray(start, end)]);
        syncs.push(aio.pathsync(path).catch((e: IoaioError) => {
          walker!.counters.errors++;
          report(path, e);
        }));
      }
    : undefined;
  const sink = cfg.json ? new JsonSink(cfg, writer, report, onEntry) : new LineSink(cfg, writer, report, onEntry);

  // --shard: the roots become this shard's share of each tree (1 of 1: all of it)
  const exclude = excluder(cfg.exclude);
  const share = cfg.shard && cfg.shard.count > 1 ? await shareRoots(cfg.paths, cfg.shard, { maxDepth: cfg.maxDepth, exclude, oneFileSystem: cfg.oneFileSystem }) : undefined;
  const walkOpts: WalkOptions = {
      roots: share ? share.roots : cfg.paths,
      rootInfo: share?.rootInfo,
      maxDepth: cfg.maxDepth,
      oneFileSystem: cfg.oneFileSystem,
      follow: cfg.follow,
      statAll: cfg.stat,
      exclude,
      maxOutstanding: cfg.maxOutstanding,
      parallel: cfg.jobs,
      quickStart: cfg.auto ? cfg.jobs : 0,
      sort: cfg.sort,
      lines:
        cfg.json || cfg.grep || cfg.sync
          ? undefined
          : { dirs: !cfg.quiet && !cfg.filesOnly, others: !cfg.quiet && !cfg.dirsOnly, slash: true, term: cfg.print0 ? 0 : 0x0a },
  };
  walker = makeWalker(walkOpts, sink);
  for (const f of share?.errors ?? []) failPath(walker.counters, sink, f.path, f.err);
  // -j auto: the walk keeps as many steps in flight as the pool has threads
  const counted = walker.counters;
  const concurrency = useJobs(cfg, {
    onLimit: (n) => {
      walkOpts.parallel = n;
      if (!cfg.fixedOutstanding) walkOpts.maxOutstanding = 4 * n;
    },
    // a step lists as much as it can in its time: entries are the work
    work: () => counted.dirs + counted.files + counted.symlinks + counted.others,
    slowUnitMs: 0.1,
  });

  let interrupted = false;
  const uninterruptible = onInterrupt(() => {
    interrupted = true;
    walker!.stop();
  });
  const progress = await io.progress?.(walker.counters, started);
  try {
    await walker.run();
    await Promise.all(syncs);
  } finally {
    uninterruptible();
    await progress?.stop();
    await writer.end();
  }
  const jobs = concurrency();

  const c = walker.counters;
  if (cfg.summary === 'json') {
    const f = { dirs: c.dirs, files: c.files, symlinks: c.symlinks, others: c.others, errors: c.errors, ...(cfg.stat ? { bytes: c.bytes } : {}) };
    io.stderr.write(JSON.stringify({ ...f, seconds: +((nowMs() - started) / 1000).toFixed(3), concurrency: jobs, ...(cfg.shard ? { shard: shardTag(cfg.shard) } : {}) }) + '\n');
  } else if (cfg.summary === 'text') {
    const secs = ((nowMs() - started) / 1000).toFixed(3);
    const bytes = cfg.stat ? `, ${c.bytes} bytes` : '';
    io.stderr.write(`treescan: ${c.dirs} dirs, ${c.files} files, ${c.symlinks} symlinks, ${c.others} others, ${c.errors} errors${bytes}, ${secs} s, ${concurrencyText(jobs)}\n`);
  }
  return exitStatus({ interrupted, failed: c.errors > 0 });
}
