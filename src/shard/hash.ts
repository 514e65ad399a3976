// The stable hash that assigns a path to a shard: FNV-1a over the path's
// bytes, then murmur3's finalizer (FNV-1a's low bits alone are uneven for
// names that differ only at their end, and the shard is hash mod N). The
// same bytes give the same shard on every host, in every Node version:
// nothing here depends on the process, the locale or the order of work.

/** 32-bit hash of buf[start, end). */
export function pathHash(buf: Uint8Array, start = 0, end = buf.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard (0..count-1) of the path buf[start, end). */
export function shardOf(buf: Uint8Array, count: number, start = 0, end = buf.length): number {
  return count <= 1 ? 0 : pathHash(buf, start, end) % count;
}
