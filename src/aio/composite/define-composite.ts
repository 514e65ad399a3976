// Composite requests (IO::AIO's aio_scandir, aio_move, aio_rmtree, …) are
// written as async functions over the primitive requests. Without a callback
// they return that promise; with one they return a Group, as IO::AIO does,
// whose cancel() aborts every request the composite still has to make.
import { splitTail } from '../args.js';
import { IoaioError } from '../errors.js';
import type { Group } from '../group.js';
import { group, type Call } from '../issue.js';
import type { Callback, ReqOptions } from '../types.js';

/** Checks its arguments synchronously (throwing TypeErrors at once, like every
 *  request) and returns the promise of the work. Do not make it async. */
export type CompositeImpl<T> = (args: unknown[], opts: ReqOptions) => Promise<T>;

export function defineComposite<A extends unknown[], T>(impl: CompositeImpl<T>): Call<A, T> {
  return function composite(...rest: unknown[]) {
    const { args, opts, cb } = splitTail(rest);
    if (!cb) return impl(args, opts ?? {});
    const ac = new AbortController();
    const work = impl(args, { ...opts, signal: ac.signal });
    const outer = opts?.signal;
    outer?.addEventListener('abort', () => ac.abort(outer.reason), { once: true });
    const g: Group = group(cb as Callback<unknown[]>);
    g.onCancel = () => ac.abort();
    const release = g.hold();
    work.then(
      (v) => g.settleWith(v, null),
      (e: unknown) => g.settleWith(undefined, e instanceof IoaioError ? e : new IoaioError({ errno: 0, code: 'ERR_IOAIO_COMPOSITE', syscall: 'composite', message: String(e), cause: e })),
    ).finally(release);
    return g;
  } as unknown as Call<A, T>;
}

/** Runs fn over items with at most `limit` running at once; stops at the first error. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
