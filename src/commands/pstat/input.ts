// Paths from a stream, one per line or NUL-separated, as raw bytes. Reading
// follows the consumer (async iteration pulls chunk by chunk), so memory stays
// bounded by one chunk plus one path however many paths come, and the first
// paths are ready before the input has ended.
import type { Readable } from 'node:stream';

/** A chunk of input and where its complete records are: record i is
 *  buf[bounds[2i], bounds[2i + 1]) (without the separator). */
export interface PathChunk {
  buf: Buffer;
  bounds: number[];
}

/** Yields the input chunk by chunk with its records' bounds; empty records
 *  too, so the caller can report them. A last record without a separator
 *  counts. Perf: no Buffer per path; the caller copies what it keeps. */
export async function* readPathChunks(input: Readable, separator: 0 | 0x0a): AsyncGenerator<PathChunk> {
  let carry: Buffer | undefined;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = undefined;
    }
    const bounds: number[] = [];
    let start = 0;
    for (let i = buf.indexOf(separator, start); i >= 0; i = buf.indexOf(separator, start)) {
      bounds.push(start, i);
      start = i + 1;
    }
    // Copy: a view would keep the whole chunk alive until the next one.
    if (start < buf.length) carry = Buffer.from(buf.subarray(start));
    if (bounds.length) yield { buf, bounds };
  }
  if (carry) yield { buf: carry, bounds: [0, carry.length] };
}
