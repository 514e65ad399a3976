// Paths from a stream, one per line or NUL-separated, as raw bytes. Reading
// follows the consumer (async iteration pulls chunk by chunk), so memory stays
// bounded by one chunk plus one path however many paths come, and the first
// paths are ready before the input has ended.
import type { Readable } from 'node:stream';

/** Yields each record's bytes (without the separator); empty lines too, so
 *  the caller can report them. A last record without a separator counts. */
export async function* readPaths(input: Readable, separator: 0 | 0x0a): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = undefined;
    }
    let start = 0;
    for (let i = buf.indexOf(separator, start); i >= 0; i = buf.indexOf(separator, start)) {
      // Copy: a view would keep the whole chunk alive as long as the path.
      yield Buffer.from(buf.subarray(start, i));
      start = i + 1;
    }
    if (start < buf.length) carry = Buffer.from(buf.subarray(start));
  }
  if (carry) yield carry;
}
