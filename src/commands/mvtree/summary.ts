// mvtree's end-of-run report, for a tree move and a list move alike: the
// JSON summary event (--json) on stdout, and on stderr the text line
// (--summary, or always when interrupted) or one JSON object
// (--summary-json, which ioaio summary-merge adds up over shards).
import { concurrencyText, type ConcurrencySummaryOrFixed } from '../../cli/jobs.js';
import { moveTotals, type MoveCounters } from '../../move/index.js';
import { shardTag, type Shard } from '../../shard/spec.js';
import type { MvtreeConfig } from './config.js';

export interface MoveReport {
  counters: MoveCounters;
  interrupted: boolean;
  secs: number;
  jobs: ConcurrencySummaryOrFixed;
  shard?: Shard;
}

export async function reportMove(cfg: MvtreeConfig, stderr: NodeJS.WritableStream, writer: { end(): Promise<void>; text(s: string): void }, r: MoveReport): Promise<void> {
  const f = moveTotals(r.counters);
  const fields = { ...f, syncSeconds: +f.syncSeconds.toFixed(6), seconds: +r.secs.toFixed(3), interrupted: r.interrupted, dryRun: cfg.dryRun, concurrency: r.jobs };
  if (cfg.json) writer.text(JSON.stringify({ event: 'summary', ...fields }) + '\n');
  await writer.end();
  if (cfg.summary === 'json') stderr.write(JSON.stringify({ ...fields, ...(r.shard ? { shard: shardTag(r.shard) } : {}) }) + '\n');
  else if (cfg.summary === 'text' || r.interrupted) {
    stderr.write(
      `mvtree: ${f.renamed} renamed; ${f.files} files (${f.bytes} bytes), ${f.dirs} dirs, ${f.symlinks} symlinks, ${f.others} others, ${f.links} hard links copied, ${f.upToDate} up to date; ${f.removed} source entries ${cfg.dryRun ? 'would be removed' : 'removed'}; ${f.kept} kept, ${f.errors} errors${f.vanished ? `, ${f.vanished} vanished` : ''}; sync ${f.syncSeconds.toFixed(3)} s; ${r.secs.toFixed(3)} s, ${concurrencyText(r.jobs)}${r.interrupted ? ', interrupted' : ''}\n`,
    );
  }
}
