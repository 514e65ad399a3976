// How a tree is dealt out to N shards, the same way by every one of them
// with no word between them:
// - Every shard lists the top levels (the shared directories, depth < cut)
//   itself, breadth first, until a level holds at least `wide` x N
//   directories (or the tree, or --max-depth, ends there; at most MAX_CUT
//   levels). That level is the cut.
// - An entry at depth 1..cut belongs to shard pathHash(its path below the
//   root) mod N; so does the whole subtree of a directory at the cut. A
//   shared directory (depth < cut) is listed by every shard but reported
//   (printed, counted, copied as an entry) by its owner only; the root by
//   shard 0.
// So the shares are disjoint and together the whole tree, whichever host
// runs which shard and when, as long as the top levels do not change in
// between. Balance: the cut holds at least 64 subtrees a shard, so their
// count evens out (the hash is uniform); a tree whose bulk sits under a
// few subtrees of the cut stays as uneven as they are (bench/shard.mjs
// prints max/mean). Files at the shared levels go one by one by their
// hash: a huge flat directory near the root is split evenly.
import { aio, type DirBatch, type IoaioError } from '../aio/index.js';
import { childRel, joinPath } from '../copy/paths.js';
import { modeToType as modeType } from '../walk/entry-policy.js';
import { shardOf } from './hash.js';
import type { Shard } from './spec.js';

/** Subtrees a shard at the cut, at the least (see above). */
export const WIDE = 64;
/** The cut is never deeper than this (a long chain of single directories). */
export const MAX_CUT = 16;

export interface ShareEntry {
  /** the path below the root, no leading slash ('' for the root) */
  rel: Buffer;
  depth: number;
  /** aio.DT_* (after an lstat where readdir could not tell) */
  type: number;
  /** a directory at the cut on the root's filesystem: its owner walks it
   *  whole; every other entry of a share is reported and not descended */
  subtree: boolean;
}

export interface Share {
  cut: number;
  /** st_dev of the root */
  dev: number;
  /** the directories every shard lists (depth < cut), root first, parents before children */
  shared: ShareEntry[];
  /** this shard's entries at depth 0..cut, in listing order: its
   *  directories at the cut are its subtrees (walked whole), the rest are
   *  reported and not descended here */
  mine: ShareEntry[];
  /** the shared levels' failures (path below the root, error): every
   *  shard meets them; the entry's owner reports them */
  errors: { rel: Buffer; err: IoaioError }[];
}

export interface PlanOptions {
  maxDepth?: number;
  /** skip these entries and what is below them (name, path below the root of its directory + '/') */
  exclude?: (name: Buffer, relPrefix: Buffer) => boolean;
  /** directories on another filesystem than the root's are reported, not entered */
  oneFileSystem?: boolean;
  wide?: number;
}

/** Whether the entry at rel (below the root) is this shard's (rel '' is the root: shard 0's). */
export function owns(shard: Shard, rel: Uint8Array): boolean {
  return rel.length === 0 ? shard.index === 0 : shardOf(rel, shard.count) === shard.index;
}

/** root + '/' + rel (root itself for rel ''). */
export function join(root: Buffer, rel: Buffer): Buffer {
  if (rel.length === 0) return root;
  return joinPath(root, rel);
}


/** Lists the shared levels below root and deals out the rest (see above). */
export async function planShare(root: Buffer, shard: Shard, o: PlanOptions = {}): Promise<Share> {
  const maxDepth = o.maxDepth ?? Infinity;
  const wide = (o.wide ?? WIDE) * shard.count;
  const rootSt = await aio.lstat(root);
  const rootType = modeType(rootSt.mode);
  const share: Share = { cut: 0, dev: rootSt.dev, shared: [], mine: [], errors: [] };
  const top: ShareEntry = { rel: Buffer.alloc(0), depth: 0, type: rootType, subtree: false };
  if (shard.index === 0) share.mine.push(top);
  if (rootType !== aio.DT_DIR || maxDepth === 0) return share;
  let level: ShareEntry[] = [top];
  for (let depth = 1; ; depth++) {
    share.shared.push(...level);
    const next: ShareEntry[] = [];
    const found: ShareEntry[] = [];
    await Promise.all(level.map(async (dir) => {
      let b: DirBatch;
      try {
        b = await aio.readdirBatch(join(root, dir.rel));
      } catch (e) {
        share.errors.push({ rel: dir.rel, err: e as IoaioError });
        return;
      }
      const prefix = dir.rel.length ? Buffer.concat([dir.rel, Buffer.from('/')]) : Buffer.alloc(0);
      for (let i = 0; i < b.count; i++) {
        const name = b.nameBytes(i);
        if (o.exclude?.(name, prefix)) continue;
        found.push({ rel: childRel(dir.rel, name), depth, type: b.type(i), subtree: false });
      }
    }));
    // the listing order of a level is the same on every shard: by path
    found.sort((a, b) => Buffer.compare(a.rel, b.rel));
    // types readdir could not tell, and with -x each directory's device
    const dropped = new Set<ShareEntry>();
    const failed = new Set<ShareEntry>();
    await Promise.all(found.map(async (e) => {
      if (e.type !== aio.DT_UNKNOWN && !(e.type === aio.DT_DIR && o.oneFileSystem)) return;
      try {
        const st = await aio.lstat(join(root, e.rel));
        e.type = modeType(st.mode);
        // a mount point is reported, never entered (as -x does unsharded)
        if (e.type === aio.DT_DIR && o.oneFileSystem && st.dev !== rootSt.dev) dropped.add(e);
      } catch (err) {
        share.errors.push({ rel: e.rel, err: err as IoaioError });
        failed.add(e);
      }
    }));
    for (const e of found) if (e.type === aio.DT_DIR && !dropped.has(e) && !failed.has(e)) next.push(e);
    const last = depth >= maxDepth || depth >= MAX_CUT || next.length >= wide || next.length === 0;
    if (last) for (const e of next) e.subtree = true;
    for (const e of found) if (owns(shard, e.rel) && !failed.has(e)) share.mine.push(e);
    if (last) {
      share.cut = depth;
      return share;
    }
    level = next;
  }
}

