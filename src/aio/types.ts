import type { IoaioError } from './errors.js';
import type { Wd } from './wd.js';

/** A path: a string (UTF-8), raw bytes (any name the kernel allows), or
 *  IO::AIO's `[wd, relative]` pair, resolved against a directory handle. */
export type PathArg = string | Uint8Array | Wd | readonly [Wd, string | Uint8Array];

/** Node-style completion callback. */
export type Callback<T> = (err: IoaioError | null, value?: T) => void;

export interface ReqOptions {
  /** Priority, -4 (lowest) to 4 (highest); default: aio.pri()'s, else 0. */
  pri?: number;
  /** Aborting cancels the request (see Req.cancel). */
  signal?: AbortSignal;
  /** For names and contents: 'utf8' strings (default) or raw 'buffer'. */
  encoding?: 'utf8' | 'buffer';
  /** For stat, lstat and fstat: a BigIntStats, every number an exact bigint (as Node's fs). */
  bigint?: boolean;
}
