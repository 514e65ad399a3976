// The engines' steps (walk.c, rmtree.c) share one request shape: a handle,
// a byte budget and a time budget in, one payload out. One definition here.
import { toInt } from '../args.js';
import { define, getLoop, type Call } from '../issue.js';

/** A step request of kind `kind` whose payload becomes a `Step`. */
export function stepRequest<T>(kind: number, syscall: string, what: string, Step: new (buf: Buffer) => T): Call<[handle: number, budget: number, budgetUs: number], T> {
  return define<[handle: number, budget: number, budgetUs: number], T>((a) => {
    const l = getLoop();
    const id = toInt(a[0], what, 1, 0x7fffffff);
    const budget = toInt(a[1], 'budget', 1, 1 << 29);
    const us = toInt(a[2], 'budgetUs', 1, 1e9);
    return {
      kind,
      syscall,
      submit: (pri) => l.native.reqFd(l.ctx, kind, pri, id, budget, us, 0),
      // a payload in the loop's shared buffer is copied out: the step object outlives the poll
      decode: (p) => new Step(p.owned ? p.buf : Buffer.from(p.buf.subarray(p.off, p.off + p.result))),
    };
  });
}
