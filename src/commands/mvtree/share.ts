// mvtree --shard SRC DEST without a list: the shard's share of a walk
// (src/shard/partition.ts) as the list mover's entries. Its directories
// above the cut are made (by whichever shard needs one first), and so are
// its subtrees' roots, at the cut: those must stay in SRC until every
// shard has listed the top levels, or a shard that starts late would count
// fewer directories there and choose another cut. On one filesystem, each
// entry in a subtree's root moves whole, by one rename; across
// filesystems every entry below it is listed and moved as a list's entry
// (copied, syncfs'd by batch, unlinked; directories made: one tree move
// per directory there cost about 0.13 s of round trips on the FUSE
// fixture, and a subtree root holds many). The directories stay for
// --finalize, which gives them their metadata and removes them from SRC
// once empty.
import { aio, type IoaioError } from '../../aio/index.js';
import { childRel } from '../../copy/paths.js';
import { below, isDir } from '../../move/below.js';
import type { MoveEntry } from '../../move/list-mover.js';
import { join, owns, planShare } from '../../shard/partition.js';
import type { Shard } from '../../shard/spec.js';

/** The share's entries; fail: what could not be listed (the owner's to
 *  report). whole: each entry in a subtree's root moves by one rename (one
 *  filesystem); else every entry below it is listed (non-directories in
 *  batches of `batch` names). */
export async function* shareEntries(src: Buffer, shard: Shard, whole: boolean, batch: number, fail: (path: Buffer, err: IoaioError) => void): AsyncGenerator<MoveEntry> {
  let share;
  try {
    share = await planShare(src, shard);
  } catch (e) {
    // (SRC gone, DEST there: the move was done, finalize and all)
    if ((e as IoaioError).code === 'ENOENT') return;
    throw e;
  }
  for (const f of share.errors) if (owns(shard, f.rel)) fail(join(src, f.rel), f.err);
  for (const e of share.mine) {
    if (e.type !== aio.DT_DIR) {
      yield { rel: e.rel, dir: false };
      continue;
    }
    yield { rel: e.rel, dir: true };
    if (!e.subtree) continue;
    if (!whole) {
      yield* below(src, e.rel, batch, fail);
      continue;
    }
    let listed;
    try {
      listed = await aio.readdirBatch(join(src, e.rel));
    } catch (err) {
      fail(join(src, e.rel), err as IoaioError);
      continue;
    }
    for (let i = 0; i < listed.count; i++) {
      const rel = childRel(e.rel, Buffer.from(listed.nameBytes(i)));
      yield (await isDir(src, rel, listed.type(i))) ? { rel, dir: false, tree: true } : { rel, dir: false };
    }
  }
}
