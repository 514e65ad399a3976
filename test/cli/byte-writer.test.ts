// ByteWriter's lent blocks: written from the lender's buffer, released only
// once the stream has taken the bytes, so the lender may then reuse it.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/cli/byte-writer.js';

/** A stream that holds each write until release() and records copies of what it got. */
function slowSink() {
  const got: Buffer[] = [];
  const pending: (() => void)[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, cb) {
      pending.push(() => {
        got.push(Buffer.from(chunk));
        cb();
      });
    },
  });
  return { out, got, releaseAll: () => { while (pending.length) pending.shift()!(); } };
}

describe('ByteWriter', () => {
  it('releases a lent block only after the stream has written it, and a small one at once', async () => {
    const s = slowSink();
    const w = new ByteWriter(s.out, () => {}, () => {});
    const big = Buffer.alloc(64 * 1024, 0x61);
    big[big.length - 1] = 0x0a;
    let bigReleased = false;
    w.line(Buffer.alloc(0), Buffer.from('first'), 0, 5, false, 0x0a);
    w.block(big, 0, big.length, () => (bigReleased = true));
    expect(bigReleased).toBe(false);
    let smallReleased = false;
    const small = Buffer.from('b\n');
    w.block(small, 0, small.length, () => (smallReleased = true));
    expect(smallReleased).toBe(true); // copied into the chunk
    small.fill(0x7a); // the lender reuses it: the copy must not change
    const ended = w.end();
    for (let i = 0; i < 10 && !bigReleased; i++) {
      s.releaseAll();
      await new Promise((r) => setImmediate(r));
    }
    expect(bigReleased).toBe(true);
    s.releaseAll();
    await ended;
    const all = Buffer.concat(s.got).toString('latin1');
    expect(all).toBe('first\n' + big.toString('latin1') + 'b\n');
  });

  it('releases lent blocks when the reader has gone away', () => {
    const out = new PassThrough();
    const w = new ByteWriter(out, () => {}, () => {});
    w.closed = true;
    let released = false;
    w.block(Buffer.alloc(40 * 1024, 0x0a), 0, 40 * 1024, () => (released = true));
    expect(released).toBe(true);
  });
});
