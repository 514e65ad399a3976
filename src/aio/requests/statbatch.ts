// Many paths stat'ed in one request (native/src/statbatch.c): for tools that
// stat thousands of paths and must not pay a request, a result record and a
// promise per path.
import { toInt } from '../args.js';
import { argError, IoaioError } from '../errors.js';
import { define, getLoop } from '../issue.js';
import { K, STAT_FIELDS } from '../native/kinds.js';
import { Stats } from '../stats.js';

const REC = 1 + STAT_FIELDS;

/** GNU stat's --cached: may attributes the NFS/FUSE client already holds
 *  answer ('always': statx AT_STATX_DONT_SYNC, no GETATTR round trip after
 *  the lookup, but as old as the client's cache), must they be fetched
 *  ('never': AT_STATX_FORCE_SYNC), or as stat(2) does ('default'). */
export type StatCached = 'default' | 'always' | 'never';

/** @internal statbatch's flag bits (IOAIO_SB_* in ioaio.h) for a StatCached. */
export function cachedFlag(c: unknown): number {
  if (c === undefined || c === 'default') return 0;
  if (c === 'always') return 2;
  if (c === 'never') return 4;
  throw argError('cached', "'default', 'always' or 'never'", c);
}

/** The results of one statBatch, in the order of its paths. */
export class StatBatch {
  /** @internal f holds the payload: per path errno, then the stat fields */
  constructor(
    private readonly f: Float64Array,
    readonly count: number,
  ) {}

  /** errno of path i (0: it was stat'ed). */
  errno(i: number): number {
    return this.f[i * REC]!;
  }

  /** Stats of path i (only when errno(i) is 0); into `into` if given. */
  stats(i: number, into?: Stats): Stats {
    return into ? into.load(this.f, i * REC + 1) : new Stats(this.f, i * REC + 1);
  }
}

/**
 * lstat (or with follow, stat) of `count` paths in one request on a libeio
 * thread. `paths` holds them back to back, each followed by a NUL byte, and
 * nothing else. Paths in a row in the same directory are stat'ed relative to
 * one handle on it (one path walk per directory, not per path: on NFS each
 * component is a round trip); with a dirCache (dirCacheOpen), relative to
 * handles kept across requests. Per-path failures are errno(i), not a
 * rejection. `cached` is GNU stat's --cached (StatCached).
 */
export const statBatch = define<[paths: Buffer, count: number, follow?: boolean, dirCache?: number, cached?: StatCached], StatBatch>((a) => {
  const l = getLoop();
  const [paths, count] = a as [Buffer, number];
  if (!(paths instanceof Uint8Array) || paths.length === 0 || paths[paths.length - 1] !== 0) {
    throw argError('paths', 'a non-empty Buffer of NUL-terminated paths', paths);
  }
  if (!Number.isInteger(count) || count < 1 || count > paths.length) throw argError('count', `an integer from 1 to ${paths.length}`, count);
  const follow = a[2] === true ? 1 : 0;
  const cache = a[3] === undefined ? 0 : toInt(a[3], 'dirCache', 0, 0x7fffffff); // 0: none
  const flags = follow | cachedFlag(a[4]);
  return {
    kind: K.STATBATCH,
    syscall: follow ? 'stat' : 'lstat',
    keep: paths,
    submit: (pri) => l.native.reqStatBatch(l.ctx, pri, flags, cache, paths, paths.length, count),
    decode: (p) => {
      const f = new Float64Array(count * REC);
      new Uint8Array(f.buffer).set(p.buf.subarray(p.off, p.off + p.result));
      return new StatBatch(f, count);
    },
  };
});

/** A cache of handles on the last 256 directories statBatch used, shared by
 *  the requests given it. A handle follows its directory through renames:
 *  make one per run, and close it when done. */
export function dirCacheOpen(): number {
  const l = getLoop();
  const r = l.native.dirCacheNew(l.ctx);
  if (r < 0) throw new IoaioError({ errno: -r, syscall: 'dircache_new' });
  return r;
}

/** Closes the cache's handles; every request given it must have returned. */
export function dirCacheClose(cache: number): void {
  const l = getLoop();
  const r = l.native.dirCacheFree(l.ctx, cache);
  if (r < 0) throw new IoaioError({ errno: -r, syscall: 'dircache_free' });
}
