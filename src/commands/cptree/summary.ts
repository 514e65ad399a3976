// cptree's end-of-run report, for a tree copy and a list copy alike: the
// --json summary event on stdout, then --summary(-json) on stderr (the
// text line also when interrupted). The counts are also the done stamp's.
import { concurrencyText, type ConcurrencySummaryOrFixed } from '../../cli/jobs.js';
import type { CopyCounters } from '../../copy/index.js';
import { shardTag, type Shard } from '../../shard/spec.js';
import type { CptreeConfig } from './config.js';

export function summaryFields(c: CopyCounters) {
  return { files: c.files, bytes: c.bytes, dirs: c.dirs, symlinks: c.symlinks, others: c.others, links: c.links, skipped: c.skipped, deleted: c.deleted, errors: c.errors, vanished: c.vanished };
}

export interface CopyOutcome {
  counters: CopyCounters;
  interrupted: boolean;
  /** what useJobs' report says of the run's concurrency */
  jobs: ConcurrencySummaryOrFixed;
  secs: number;
  shard: Shard | undefined;
}

export async function reportCopy(cfg: CptreeConfig, stderr: NodeJS.WritableStream, writer: { end(): Promise<void>; text(s: string): void }, r: CopyOutcome): Promise<void> {
  const f = summaryFields(r.counters);
  const seconds = +r.secs.toFixed(3);
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...f, seconds, interrupted: r.interrupted, concurrency: r.jobs }) + '\n');
  await writer.end();
  if (cfg.summary === 'json') stderr.write(JSON.stringify({ ...f, seconds, interrupted: r.interrupted, concurrency: r.jobs, ...(r.shard ? { shard: shardTag(r.shard) } : {}) }) + '\n');
  else if (cfg.summary === 'text' || r.interrupted) {
    stderr.write(
      `cptree: ${f.files} files (${f.bytes} bytes), ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others, ${f.links} hard links, ${f.skipped} up to date, ${cfg.delete ? `${f.deleted} deleted, ` : ''}${f.errors} errors${f.vanished ? `, ${f.vanished} vanished` : ''}, ${r.secs.toFixed(3)} s, ${concurrencyText(r.jobs)}${r.interrupted ? ', interrupted' : ''}\n`,
    );
  }
}
