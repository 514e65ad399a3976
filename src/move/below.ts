// Every entry below one directory of SRC as the list mover's entries: a
// directory as one to make, the others in batches of one directory's names
// (copied by one request each across local filesystems). What a shard's
// walk moves across filesystems, and what a rename cannot move whole.
import { aio, type DirBatch, type IoaioError } from '../aio/index.js';
import { childRel } from '../copy/paths.js';
import { join } from '../shard/partition.js';
import type { MoveEntry } from './list-mover.js';

/** Perf: directories listed at once. */
const LISTS_AT_ONCE = 8;

/** Is the entry rel (below src; type as readdir told it) a directory? An lstat only where readdir could not tell. */
export async function isDir(src: Buffer, rel: Buffer, type: number): Promise<boolean> {
  if (type !== aio.DT_UNKNOWN) return type === aio.DT_DIR;
  return aio.lstat(join(src, rel)).then((st) => st.isDirectory(), () => false);
}

/** Below the directory rel, a few directories listed at a time; a
 *  directory's non-directories in batches of up to `batch` names (1: each
 *  alone); fail: a directory that could not be listed. */
export async function* below(src: Buffer, rel: Buffer, batch: number, fail: (path: Buffer, err: IoaioError) => void): AsyncGenerator<MoveEntry> {
  const queue: Buffer[] = [rel];
  const active = new Map<number, Promise<{ id: number; dir: Buffer; listed?: DirBatch }>>();
  let ids = 0;
  while (queue.length || active.size) {
    while (queue.length && active.size < LISTS_AT_ONCE) {
      const id = ids++;
      const dir = queue.shift()!;
      active.set(id, aio.readdirBatch(join(src, dir)).then((listed) => ({ id, dir, listed }), (err: IoaioError) => {
        fail(join(src, dir), err);
        return { id, dir };
      }));
    }
    const { id, dir, listed } = await Promise.race(active.values());
    active.delete(id);
    if (!listed) continue;
    let leaves: Buffer[] = [];
    for (let i = 0; i < listed.count; i++) {
      const name = Buffer.from(listed.nameBytes(i));
      const child = childRel(dir, name);
      if (await isDir(src, child, listed.type(i))) {
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
