// Paths from a stream, one per line or NUL-separated, as raw bytes. Reading
// follows the consumer (async iteration pulls chunk by chunk), so memory stays
// bounded by one chunk plus one path however many paths come, and the first
// paths are ready before the input has ended.
import type { Readable } from 'node:stream';
import { readRecordRegions } from '../../cli/path-list.js';

/** A chunk of input and where its complete records are: record i is
 *  buf[bounds[2i], bounds[2i + 1]) (without the separator). */
export interface PathChunk {
  buf: Buffer;
  bounds: number[];
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
