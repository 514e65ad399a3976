// --shard: only the paths of this shard's share go on, whichever input
// form they come in. A path's shard is the hash of its bytes as given
// (src/shard/hash.ts), so every shard must read the same list.
import { shardOf } from '../../shard/hash.js';
import type { Shard } from '../../shard/spec.js';
import type { PathChunk } from './input.js';

/** Regions of records that each end in sep, narrowed to the shard's records. */
export async function* shardRegions(regions: AsyncIterable<Buffer> | Iterable<Buffer>, sep: number, shard: Shard): AsyncGenerator<Buffer> {
  for await (const region of regions) {
    const keep: Buffer[] = [];
    // Perf: runs of kept records go out as views, not record by record
    let runStart = -1;
    for (let pos = 0; pos < region.length;) {
      let end = region.indexOf(sep, pos);
      if (end < 0) end = region.length - 1;
      const mine = shardOf(region, shard.count, pos, end) === shard.index;
      if (mine && runStart < 0) runStart = pos;
      else if (!mine && runStart >= 0) {
        keep.push(region.subarray(runStart, pos));
        runStart = -1;
      }
      pos = end + 1;
    }
    if (runStart >= 0) keep.push(region.subarray(runStart));
    if (keep.length === 1) yield keep[0]!;
    else if (keep.length > 1) yield Buffer.concat(keep);
  }
}

/** Chunks of [start, end) bounds, narrowed to the shard's paths. */
export async function* shardChunks(chunks: AsyncIterable<PathChunk> | Iterable<PathChunk>, shard: Shard): AsyncGenerator<PathChunk> {
  for await (const c of chunks) {
    const bounds: number[] = [];
    for (let i = 0; i < c.bounds.length; i += 2) {
      const s = c.bounds[i]!, e = c.bounds[i + 1]!;
      if (shardOf(c.buf, shard.count, s, e) === shard.index) bounds.push(s, e);
    }
    if (bounds.length) yield { buf: c.buf, bounds };
  }
}
