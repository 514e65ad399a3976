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

/** The input, chunk by chunk, cut after its last separator: every region
 *  holds whole records. What follows the cut waits for the next chunk (a
 *  copy, so a chunk is not kept alive by its tail); a last record without a
 *  separator gets one. Memory: one chunk plus one record. */
export async function* readRecordRegions(input: Readable | AsyncIterable<Buffer | string>, sep: 0 | 0x0a): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (carry) {
      // Perf: only the record that straddles the chunks is copied, not the chunk.
      const first = buf.indexOf(sep);
      if (first < 0) {
        carry = Buffer.concat([carry, buf]);
        continue;
      }
      yield Buffer.concat([carry, buf.subarray(0, first + 1)]);
      carry = undefined;
      buf = buf.subarray(first + 1);
    }
    const last = buf.lastIndexOf(sep);
    if (last < 0) {
      if (buf.length) carry = Buffer.from(buf);
      continue;
    }
    if (last + 1 < buf.length) carry = Buffer.from(buf.subarray(last + 1));
    yield buf.subarray(0, last + 1);
  }
  if (carry) yield Buffer.concat([carry, Buffer.of(sep)]);
}

/** Yields the input region by region (readRecordRegions) with its records'
 *  bounds; empty records too, so the caller can report them. Perf: no
 *  Buffer per path; the caller copies what it keeps. */
export async function* readPathChunks(input: Readable | AsyncIterable<Buffer | string>, separator: 0 | 0x0a): AsyncGenerator<PathChunk> {
  for await (const buf of readRecordRegions(input, separator)) {
    const bounds: number[] = [];
    for (let start = 0, i = buf.indexOf(separator); i >= 0; start = i + 1, i = buf.indexOf(separator, start)) bounds.push(start, i);
    yield { buf, bounds };
  }
}
