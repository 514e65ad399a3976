// A tree copy done by N shards (cptree --shard) and its last step
// (cptree --finalize). Every shard makes the directories above the cut
// (mkdir that finds one made is no error) and copies its own share; each
// keeps its own resume marker (tag '2of4'), and one that ends whole leaves
// a done stamp beside the root. The finalize step runs once, after all:
// it refuses while a shard's stamp is missing, then gives the directories
// above the cut the source's metadata (their times are final only once no
// shard writes into them), deepest first, and removes the stamps.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { aio, IoaioError } from '../aio/index.js';
import { join, planShare, type PlanOptions } from '../shard/partition.js';
import { shardTag, type Shard } from '../shard/spec.js';
import { besideRoot } from './marker.js';
import type { CopyShare } from './types.js';

const DONE_PREFIX = '.ioaio-shard-done.';


/** The shard's part of the copy of src (the shared levels listed here). */
export async function planCopyShare(src: Buffer, shard: Shard, o: PlanOptions): Promise<CopyShare> {
  const share = await planShare(src, shard, o);
  return { shard, cut: share.cut, shared: new Set(share.shared.map((e) => e.rel.toString('latin1'))) };
}

export function doneStampPath(root: Buffer, shard: { index: number; count: number }): Buffer {
  return besideRoot(root, DONE_PREFIX, shardTag(shard));
}

/** The shard's copy is whole: its stamp, with what it did. */
export function writeDoneStamp(root: Buffer, shard: Shard, summary: object): void {
  writeFileSync(doneStampPath(root, shard), JSON.stringify({ shard: shardTag(shard), ...summary }) + '\n');
}

/** The shards (indexes) of count with no done stamp beside root. */
export function missingStamps(root: Buffer, count: number): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => !existsSync(doneStampPath(root, { index: i, count })));
}

/** What --finalize says when shards have not finished (one line, no newline). */
export function missingStampsText(root: Buffer, missing: number[], count: number): string {
  const many = missing.length > 1;
  return `${root}: shard${many ? 's' : ''} ${missing.join(', ')} of ${count} ${many ? 'have' : 'has'} no done stamp (${doneStampPath(root, { index: missing[0]!, count })}): run ${many ? 'them' : 'it'} until whole, then --finalize (a finalize that succeeded removed the stamps)`;
}

/** Removes every shard's stamp (after a finalize that succeeded). */
export function removeStamps(root: Buffer, count: number): void {
  for (let i = 0; i < count; i++) rmSync(doneStampPath(root, { index: i, count }), { force: true });
}

export interface FinalizeResult {
  /** shard indexes with no done stamp */
  unfinished: number[];
  /** directories given their metadata */
  dirs: number;
  errors: { path: Buffer; err: Error }[];
}

/** Applies the shared directories' metadata once every shard is done. */
export async function finalizeCopy(src: Buffer, dst: Buffer, count: number, flags: number, o: PlanOptions & { dryRun: boolean }): Promise<FinalizeResult> {
  const res: FinalizeResult = { unfinished: [], dirs: 0, errors: [] };
  res.unfinished = missingStamps(dst, count);
  if (res.unfinished.length) return res;
  const share = await planShare(src, { index: 0, count, from: '--finalize' }, o);
  for (const f of share.errors) res.errors.push({ path: join(src, f.rel), err: f.err });
  // deepest first: a parent's times are set after its children's (which do not touch it)
  const dirs = [...share.shared].sort((a, b) => b.depth - a.depth);
  for (const d of dirs) {
    if (o.dryRun) {
      res.dirs++;
      continue;
    }
    try {
      await aio.copyfile(join(src, d.rel), join(dst, d.rel), flags | aio.CF_DIR_META);
      res.dirs++;
    } catch (e) {
      const err = e as IoaioError;
      res.errors.push({ path: err instanceof IoaioError && err.side === 'dst' ? join(dst, d.rel) : join(src, d.rel), err });
    }
  }
  if (res.errors.length === 0 && !o.dryRun) removeStamps(dst, count);
  return res;
}
