// The engines' steps (walk.c, rmtree.c) share one request shape: a handle,
// a byte budget and a time budget in, one payload out. One definition here.
import { argError } from '../errors.js';
import { toInt } from '../args.js';
import { define, getLoop, type Call } from '../issue.js';

/** A step request of kind `kind` whose payload becomes a `Step`. `into`, if
 *  given, is a buffer lent for the payload (see StepBuffers): the Step then
 *  reads it, so the caller must not reuse it until done with the Step. */
export function stepRequest<T>(kind: number, syscall: string, what: string, Step: new (buf: Buffer) => T): Call<[handle: number, budget: number, budgetUs: number, into?: Buffer], T> {
  return define<[handle: number, budget: number, budgetUs: number, into?: Buffer], T>((a) => {
    const l = getLoop();
    const id = toInt(a[0], what, 1, 0x7fffffff);
    const budget = toInt(a[1], 'budget', 1, 1 << 29);
    const us = toInt(a[2], 'budgetUs', 1, 1e9);
    const into = a[3];
    if (into !== undefined && !Buffer.isBuffer(into)) throw argError('into', 'a Buffer', into);
    return {
      kind,
      syscall,
      into,
      submit: (pri) => l.native.reqFd(l.ctx, kind, pri, id, budget, us, 0),
      // a payload in the loop's shared buffer is copied out (into the lent
      // buffer if there is one): the step object outlives the poll
      decode: (p) => new Step(p.owned ? p.buf : copyOut(p.buf.subarray(p.off, p.off + p.result), into)),
    };
  });
}

function copyOut(src: Buffer, into: Buffer | undefined): Buffer {
  if (!into || into.length < src.length) return Buffer.from(src);
  src.copy(into);
  return into.subarray(0, src.length);
}

/** Buffers for a walker's steps: one lent to each step, given back once the
 *  step's output has been copied on. Perf: without them every step left a
 *  new buffer of its size behind; a listing of /usr (141k entries) peaked at
 *  26 MB more than the same walk with -q, because the GC hardly ran. */
export class StepBuffers {
  private readonly free: Buffer[] = [];
  /** size: a step's byte budget plus room for the directory that overruns it */
  constructor(private readonly size: number) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(b: Buffer): void {
    this.free.push(b);
  }
}
