// Requests that touch no file: they measure and exercise the pool itself.
import { toNumber } from '../args.js';
import { define, getLoop } from '../issue.js';
import { K } from '../native/kinds.js';
import type { Spec } from '../req.js';

function misc(kind: number, syscall: string, seconds = 0): Spec<void> {
  const l = getLoop();
  return { kind, syscall, decode: () => undefined, submit: (pri) => l.native.reqMisc(l.ctx, kind, pri, seconds) };
}

/** Goes through the whole request path and does nothing. */
export const nop = define<[], void>(() => misc(K.NOP, 'nop'));
/** Occupies a thread for `seconds` (IO::AIO's aio_busy): for tests and demos. */
export const busy = define<[seconds: number], void>((a) => misc(K.BUSY, 'busy', toNumber(a[0], 'seconds')));
/** sync(2). */
export const sync = define<[], void>(() => misc(K.SYNC, 'sync'));
