// Pool and loop control under IO::AIO's names (camelCased). libeio's pool is
// process-wide, so these act on every ioaio context in the process.
import { toInt, toNumber } from './args.js';
import { argError } from './errors.js';
import { currentLoop, getLoop } from './issue.js';
import { loadNative } from './native/binding.js';

const u32 = (v: unknown, name: string) => toInt(v, name, 0, 0xffffffff);

/** Allows at least n threads (started as requests arrive; libeio's default is
 *  4), raising maxParallel with it if that was lower. */
export function minParallel(n: number): void { loadNative().setMinParallel(u32(n, 'n')); }
/** At most n threads; extra threads end. 0 pauses the pool; raising it again
 *  resumes up to the highest minParallel asked for (libeio could not). */
export function maxParallel(n: number): void { loadNative().setMaxParallel(u32(n, 'n')); }
/** Threads kept idle beyond this count end after idleTimeout seconds. */
export function maxIdle(n: number): void { loadNative().setMaxIdle(u32(n, 'n')); }
export function idleTimeout(seconds: number): void { loadNative().setIdleTimeout(u32(seconds, 'seconds')); }
/** At most n results handled per poll (0: no limit); the rest on the next turn of the loop. */
export function maxPollReqs(n: number): void { loadNative().setMaxPollReqs(u32(n, 'n')); }
/** Spend at most this long (seconds, 0: no limit) running callbacks in one
 *  poll; the rest run on the next turn of the event loop. */
export function maxPollTime(seconds: number): void {
  const s = toNumber(seconds, 'seconds');
  if (s < 0) throw argError('seconds', 'a number >= 0', seconds);
  getLoop().maxPollTime = s;
}

/**
 * At most n requests handed to libeio at once; more wait in JS, by priority,
 * and go in as others finish. (IO::AIO's max_outstanding makes poll_cb block
 * instead; blocking Node's loop would be wrong, so we queue.) 0: no limit.
 */
export function maxOutstanding(n: number): void {
  getLoop().maxOutstanding = u32(n, 'n') || Infinity;
}

/** Requests in flight in libeio, process-wide (IO::AIO's nreqs). */
export function nreqs(): number { currentLoop()?.submitNow(); return loadNative().nreqs(); }
/** Requests not yet picked up by a thread. */
export function nready(): number { currentLoop()?.submitNow(); return loadNative().nready(); }
/** Requests finished but not yet handed to JS. */
export function npending(): number { currentLoop()?.submitNow(); return loadNative().npending(); }
/** Worker threads that exist now. */
export function nthreads(): number { currentLoop()?.submitNow(); return loadNative().nthreads(); }
/** This module's requests not yet completed, including those held back by maxOutstanding. */
export function outstanding(): number { return currentLoop()?.outstanding ?? 0; }

/** The wake-up pipe's fd (IO::AIO's poll_fileno); the library already watches it. */
export function pollFileno(): number { return getLoop().fileno; }
/** Handles finished requests now; returns how many (IO::AIO's poll_cb). */
export function pollCb(): number { return currentLoop()?.pollCb() ?? 0; }
/** Blocks the thread until a result is ready; false at once if nothing is in flight. */
export function pollWait(timeoutMs = -1): boolean { return currentLoop()?.pollWait(timeoutMs) ?? false; }
/** pollWait() then pollCb(): waits for results and handles them; returns how many (IO::AIO::poll). */
export function poll(): number { pollWait(); return pollCb(); }
/** Blocks, handling results, until nothing is outstanding (IO::AIO's flush). */
export function flush(): void { currentLoop()?.flush(); }
/** Resolves when nothing is outstanding, without blocking. */
export function drain(): Promise<void> { return currentLoop()?.idle() ?? Promise.resolve(); }
