// rmtree --from-list FILE ROOT: the entries a list names (paths below ROOT,
// as treescan prints them with ROOT/ in front or without; -0, lines or
// --json), each removed as rmtree removes a PATH (a directory with all
// below it). Under --shard only the paths whose hash is this shard's. ROOT
// itself stays (it is every shard's parent): a plain rmtree ROOT after the
// shards removes it. A path below another listed directory is left to that
// directory's removal, so one process never races itself; a shard whose
// path another shard's directory took finds it gone, which is no error.
import type { Readable } from 'node:stream';
import { listEntries } from '../../cli/list-entries.js';
import type { RemovalRoot } from '../../remove/index.js';
import { join } from '../../shard/partition.js';
import type { Shard } from '../../shard/spec.js';

export interface ListPlan {
  roots: RemovalRoot[];
  /** records refused (a '.' or '..' component), as paths to report */
  refused: Buffer[];
}

/** The list's removal roots below root (this shard's, under --shard), outermost only. */
export async function listRoots(root: Buffer, file: string, stdin: Readable, nul: boolean, shard: Shard | undefined): Promise<ListPlan> {
  const rels = new Set<string>();
  const refused: Buffer[] = [];
  for await (const e of listEntries(root, { file, stdin, nul, shard }, (p) => refused.push(p))) {
    if (e.rel.length) rels.add(e.rel.toString('latin1'));
  }
  const roots: RemovalRoot[] = [];
  for (const r of rels) {
    let covered = false;
    for (let i = r.lastIndexOf('/'); i > 0 && !covered; i = r.lastIndexOf('/', i - 1)) covered = rels.has(r.slice(0, i));
    if (!covered) roots.push({ path: join(root, Buffer.from(r, 'latin1')) });
  }
  return { roots, refused };
}
