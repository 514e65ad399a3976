// A process with more libeio threads than max_idle exits cleanly: koffi
// dlclose()s the library at exit while libeio's idle workers still sit in
// its code (that was a SIGSEGV at exit before the library was linked with
// -z nodelete).
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, runChild } from '../helpers/child.js';

beforeAll(() => ensureDist());

describe('process exit with a busy pool', () => {
  it('exits 0, ten times in a row, with 8 threads that just did work', async () => {
    const script = `
      import { aio } from 'IOAIO';
      aio.minParallel(8);
      aio.maxParallel(8);
      await Promise.all(Array.from({ length: 400 }, (_, i) => aio.readdir('/usr/lib')));
      await Promise.all(Array.from({ length: 8 }, () => aio.busy(0.02)));
      console.log('done', aio.nthreads());
    `;
    for (let i = 0; i < 10; i++) {
      const r = await runChild(script);
      expect({ code: r.code, signal: r.signal, out: r.stdout.trim() }).toEqual({ code: 0, signal: null, out: 'done 8' });
    }
  });
});
