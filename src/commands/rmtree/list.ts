// rmtree --from-list FILE ROOT: the entries a list names (paths below ROOT,
// as treescan prints them with ROOT/ in front or without; -0, lines or
// --json), each removed as rmtree removes a PATH (a directory with all
// below it). Under --shard only the paths whose hash is this shard's. ROOT
// itself stays (it is every shard's parent): a plain rmtree ROOT after the
// shards removes it. A path below another listed directory is left to that
// directory's removal, so one process never races itself; a shard whose
// path another shard's directory took finds it gone, which is no error.
import type { Readable } from 'node:stream';
import { listInput, listRecords, openPathList } from '../../cli/path-list.js';
import { listRel } from '../../copy/list-copier.js';
import type { RemovalRoot } from '../../remove/index.js';
import { join, owns } from '../../shard/partition.js';
import type { Shard } from '../../shard/spec.js';

/** A component '.' or '..' (or an empty one): such a path could name something outside ROOT. */
function unsafe(rel: Buffer): boolean {
  for (const part of rel.toString('latin1').split('/')) if (part === '' || part === '.' || part === '..') return true;
  return false;
}

export interface ListPlan {
  roots: RemovalRoot[];
  /** records refused (a '.' or '..' component), as paths to report */
  refused: Buffer[];
}

/** The list's removal roots below root (this shard's, under --shard), outermost only. */
export async function listRoots(root: Buffer, file: string, stdin: Readable, nul: boolean, shard: Shard | undefined): Promise<ListPlan> {
  const list = await openPathList(listInput(file, stdin), nul ? 0 : 0x0a);
  const rels = new Set<string>();
  const refused: Buffer[] = [];
  for await (const rec of listRecords(list.chunks, list.sep)) {
    const { rel } = listRel(root, rec);
    if (rel.length === 0) continue;
    if (unsafe(rel)) refused.push(rec);
    else if (!shard || owns(shard, rel)) rels.add(rel.toString('latin1'));
  }
  const roots: RemovalRoot[] = [];
  for (const r of rels) {
    let covered = false;
    for (let i = r.lastIndexOf('/'); i > 0 && !covered; i = r.lastIndexOf('/', i - 1)) covered = rels.has(r.slice(0, i));
    if (!covered) roots.push({ path: join(root, Buffer.from(r, 'latin1')) });
  }
  return { roots, refused };
}
