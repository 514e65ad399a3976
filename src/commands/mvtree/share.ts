// mvtree --shard SRC DEST without a list: the shard's share of a walk
// (src/shard/partition.ts) as the list mover's entries. Its directories
// above the cut are made (by whichever shard needs one first), and so are
// its subtrees' roots, at the cut: those must stay in SRC until every
// shard has listed the top levels, or a shard that starts late would count
// fewer directories there and choose another cut. On one filesystem, each
// entry in a subtree's root moves whole, by one rename; across
// filesystems every entry below it is listed and moved as a list's entry
// (copied, syncfs'd by batch, unlinked; directories made). The directories stay for --finalize, which gives
// them their metadata and removes them from SRC once empty.
import { aio, type DirBatch, type IoaioError } from '../../aio/index.js';
import { dropFinishedMarkers } from '../../move/index.js';
import type { MoveEntry } from '../../move/list-mover.js';
import { join, owns, planShare } from '../../shard/partition.js';
import type { Shard } from '../../shard/spec.js';

const SLASH = Buffer.from('/');

/** The share's entries; fail: what could not be listed (the owner's to
 *  report). whole: a directory in a subtree's root moves by one rename
 *  (one filesystem); else every entry below the root is listed, for the
 *  list mover to copy one by one (one tree move a directory there cost
 *  about 0.13 s of round trips on the FUSE fixture, and a subtree root
 *  holds many). */
export async function* shareEntries(src: Buffer, dst: Buffer, shard: Shard, whole: boolean, batch: number, fail: (path: Buffer, err: IoaioError) => void): AsyncGenerator<MoveEntry> {
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
    // (a run killed after a tree's move and before its marker went)
    dropFinishedMarkers(join(dst, e.rel));
    let listed;
    try {
      listed = await aio.readdirBatch(join(src, e.rel));
    } catch (err) {
      fail(join(src, e.rel), err as IoaioError);
      continue;
    }
    for (let i = 0; i < listed.count; i++) {
      const rel = Buffer.concat([e.rel, SLASH, listed.nameBytes(i)]);
      let type = listed.type(i);
      if (type === aio.DT_UNKNOWN) type = await aio.lstat(join(src, rel)).then((st) => (st.isDirectory() ? aio.DT_DIR : aio.DT_REG), () => aio.DT_REG);
      yield type === aio.DT_DIR ? { rel, dir: false, tree: true } : { rel, dir: false };
    }
  }
}

/** Perf: directories listed at once below a subtree's root. */
const LISTS_AT_ONCE = 8;

/** Every entry below the directory rel, listed a few directories at a
 *  time; a directory's non-directories in batches of up to `batch` names. */
async function* below(src: Buffer, rel: Buffer, batch: number, fail: (path: Buffer, err: IoaioError) => void): AsyncGenerator<MoveEntry> {
  const queue: Buffer[] = [rel];
  const active = new Map<number, Promise<{ id: number; dir: Buffer; batch?: DirBatch }>>();
  let ids = 0;
  while (queue.length || active.size) {
    while (queue.length && active.size < LISTS_AT_ONCE) {
      const id = ids++;
      const dir = queue.shift()!;
      active.set(id, aio.readdirBatch(join(src, dir)).then((batch) => ({ id, dir, batch }), (err: IoaioError) => {
        fail(join(src, dir), err);
        return { id, dir };
      }));
    }
    const { id, dir, batch: listed } = await Promise.race(active.values());
    active.delete(id);
    if (!listed) continue;
    let leaves: Buffer[] = [];
    for (let i = 0; i < listed.count; i++) {
      const name = Buffer.from(listed.nameBytes(i));
      const child = Buffer.concat([dir, SLASH, name]);
      let type = listed.type(i);
      if (type === aio.DT_UNKNOWN) type = await aio.lstat(join(src, child)).then((st) => (st.isDirectory() ? aio.DT_DIR : aio.DT_REG), () => aio.DT_REG);
      if (type === aio.DT_DIR) {
        queue.push(child);
        yield { rel: child, dir: true };
      } else if (batch <= 1) yield { rel: child, dir: false };
      else {
        leaves.push(name);
        if (leaves.length >= batch) {
          yield { rel: dir, dir: false, leaves };
          leaves = [];
        }
      }
    }
    if (leaves.length) yield { rel: dir, dir: false, leaves };
  }
}
