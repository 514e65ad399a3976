// Paths as the bytes that were read, for batches the worker renders
// (aio.statFormat): the input is cut into regions of whole records, each
// ending in its separator, and regions into batches, with no string or
// copy per path. Perf: building a latin1 string per path, and a Buffer per
// batch from them, was most of pstat's main-thread time on a local disk.
import type { Readable } from 'node:stream';
import type { IoaioError, StatLines } from '../../aio/index.js';

/** A region handed to the worker with what came back. */
export interface RawResult {
  region: Buffer;
  sep: 0 | 0x0a;
  lines?: StatLines;
  err?: IoaioError;
}

/** The input, chunk by chunk, cut after its last separator: every region
 *  holds whole records. What follows the cut waits for the next chunk (a
 *  copy, so a chunk is not kept alive by its tail); a last record without a
 *  separator gets one. Memory: one chunk plus one record. */
export async function* readRecordRegions(input: Readable, sep: 0 | 0x0a): AsyncGenerator<Buffer> {
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

/** PATH arguments as one region of NUL-terminated records. */
export function argsRegion(paths: Buffer[]): Buffer {
  return Buffer.concat(paths.flatMap((p) => [p, Buffer.of(0)]));
}

/** The first non-empty record of region, or undefined. */
export function firstPath(region: Buffer, sep: number): Buffer | undefined {
  for (let pos = 0; pos < region.length;) {
    const end = region.indexOf(sep, pos);
    if (end > pos) return region.subarray(pos, end);
    pos = end + 1;
  }
  return undefined;
}

/** Calls f with each record of region (without its separator). */
export function forEachRecord(region: Buffer, sep: number, f: (path: Buffer) => void): void {
  for (let pos = 0; pos < region.length;) {
    const end = region.indexOf(sep, pos);
    f(region.subarray(pos, end));
    pos = end + 1;
  }
}
