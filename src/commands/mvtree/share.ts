// mvtree --shard SRC DEST without a list: the shard's share of a walk
// (src/shard/partition.ts) as the list mover's entries. Its directories
// above the cut are made (by whichever shard needs one first), and so are
// its subtrees' roots, at the cut: those must stay in SRC until every
// shard has listed the top levels, or a shard that starts late would count
// fewer directories there and choose another cut. What is in a subtree's
// root moves whole: each entry below it one rename, or one tree move
// across filesystems. The directories stay for --finalize, which gives
// them their metadata and removes them from SRC once empty.
import { aio, type IoaioError } from '../../aio/index.js';
import { dropFinishedMarkers } from '../../move/index.js';
import type { MoveEntry } from '../../move/list-mover.js';
import { join, owns, planShare } from '../../shard/partition.js';
import type { Shard } from '../../shard/spec.js';

const SLASH = Buffer.from('/');

/** The share's entries; fail: what could not be listed (the owner's to report). */
export async function* shareEntries(src: Buffer, dst: Buffer, shard: Shard, fail: (path: Buffer, err: IoaioError) => void): AsyncGenerator<MoveEntry> {
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
    // (a run killed after a tree's move and before its marker went)
    dropFinishedMarkers(join(dst, e.rel));
    let batch;
    try {
      batch = await aio.readdirBatch(join(src, e.rel));
    } catch (err) {
      fail(join(src, e.rel), err as IoaioError);
      continue;
    }
    for (let i = 0; i < batch.count; i++) {
      const rel = Buffer.concat([e.rel, SLASH, batch.nameBytes(i)]);
      let type = batch.type(i);
      if (type === aio.DT_UNKNOWN) type = await aio.lstat(join(src, rel)).then((st) => (st.isDirectory() ? aio.DT_DIR : aio.DT_REG), () => aio.DT_REG);
      yield type === aio.DT_DIR ? { rel, dir: false, tree: true } : { rel, dir: false };
    }
  }
}
