// A --from-list FILE's entries as the commands take them: each path made
// relative to the root (treescan prints ROOT/ in front, or a list may name
// paths below it), narrowed to a shard's share under --shard. A path with a
// '.', '..' or empty component is refused, for it could name something
// outside the root (and, written below DEST, outside DEST).
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { listRel } from '../copy/list-copier.js';
import { owns } from '../shard/partition.js';
import type { Shard } from '../shard/spec.js';
import { listInput, listRecords, openPathList } from './path-list.js';

/** One line for a FILE that is not there ('-' always is), else undefined. */
export function missingList(tool: string, file: string): string | undefined {
  return file !== '-' && !existsSync(file) ? `${tool}: ${file}: no such file\n` : undefined;
}

/** Why a refused record was skipped (after its path, in an error line). */
export const REFUSED = "a '.', '..' or empty component: no path below the root; skipped";

/** A component '.' or '..' (or an empty one). */
export function unsafeRel(rel: Buffer): boolean {
  for (const part of rel.toString('latin1').split('/')) if (part === '' || part === '.' || part === '..') return true;
  return false;
}

export interface ListSource {
  file: string;
  stdin: Readable;
  /** -0: NUL-ended records (else lines; a JSON list is told by its first bytes) */
  nul: boolean;
  shard: Shard | undefined;
}

/** The list's entries below root ('' for root itself, shard 0's);
 *  refused: a record with an unsafe path, skipped. */
export async function* listEntries(root: Buffer, s: ListSource, refused: (path: Buffer) => void): AsyncGenerator<{ rel: Buffer; dir: boolean }> {
  const list = await openPathList(listInput(s.file, s.stdin), s.nul ? 0 : 0x0a);
  for await (const rec of listRecords(list.chunks, list.sep)) {
    const e = listRel(root, rec);
    if (e.rel.length && unsafeRel(e.rel)) refused(rec);
    else if (!s.shard || owns(s.shard, e.rel)) yield e;
  }
}
