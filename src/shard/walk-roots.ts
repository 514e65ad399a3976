// A walk's roots narrowed to one shard's share (partition.ts): each entry
// of the share becomes a root that knows its depth and its path below the
// tree's top, entered only when it is a subtree the shard walks whole.
import type { IoaioError } from '../aio/index.js';
import type { RootInfo } from '../walk/types.js';
import { join, owns, planShare, type PlanOptions } from './partition.js';
import type { Shard } from './spec.js';

export interface SharedRoots {
  roots: Buffer[];
  rootInfo: RootInfo[];
  /** failures at the shared levels that this shard reports (full path, error) */
  errors: { path: Buffer; err: IoaioError }[];
}

export async function shareRoots(tops: Buffer[], shard: Shard, o: PlanOptions): Promise<SharedRoots> {
  const out: SharedRoots = { roots: [], rootInfo: [], errors: [] };
  for (const top of tops) {
    let share;
    try {
      share = await planShare(top, shard, o);
    } catch (e) {
      // the top itself cannot be read: shard 0 reports it, as a walk would
      if (shard.index === 0) out.errors.push({ path: top, err: e as IoaioError });
      continue;
    }
    for (const e of share.mine) {
      out.roots.push(join(top, e.rel));
      out.rootInfo.push({ depth: e.depth, rel: e.rel, descend: e.subtree, dev: share.dev });
    }
    for (const f of share.errors) if (owns(shard, f.rel)) out.errors.push({ path: join(top, f.rel), err: f.err });
  }
  return out;
}
