// A list of paths as treescan writes them, whichever way: NUL-ended (-0),
// newline-ended, or NDJSON (--json: {"path": …} or, for a name that is not
// UTF-8, {"path_b64": …}). NDJSON is told by the first bytes ('{"path'),
// so a scan written once feeds pstat --from and the shards of a job as it
// is. A JSON list comes out as NUL-ended records.

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

const JSON_START = Buffer.from('{"path');

/** A --from-list FILE's stream ('-': stdin). */
export function listInput(file: string, stdin: Readable): Readable {
  return file === '-' ? stdin : createReadStream(file);
}

/** The input's chunks, with what it holds: JSON lines become NUL-ended paths (sep 0). */
export async function openPathList(input: AsyncIterable<Buffer | string>, sep: 0 | 0x0a): Promise<{ chunks: AsyncIterable<Buffer>; sep: 0 | 0x0a; json: boolean }> {
  const it = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let first = await it.next();
  // (an empty first chunk says nothing yet)
  while (!first.done && first.value.length === 0) first = await it.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  }
  const json = head.length >= JSON_START.length && head.subarray(0, JSON_START.length).equals(JSON_START);
  return json ? { chunks: jsonToNul(all()), sep: 0, json } : { chunks: all(), sep, json };
}

/** NDJSON lines -> NUL-ended paths; a line that is not such an object throws, naming its number. */
async function* jsonToNul(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = '';
  let line = 0;
  const decode = (text: string): Buffer => {
    line++;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (e) {
      throw new Error(`line ${line}: not JSON (${(e as Error).message})`);
    }
    const r = o as { path?: unknown; path_b64?: unknown };
    if (typeof r.path === 'string') return Buffer.from(r.path);
    if (typeof r.path_b64 === 'string') return Buffer.from(r.path_b64, 'base64');
    throw new Error(`line ${line}: no "path" or "path_b64"`);
  };
  for await (const chunk of chunks) {
    const text = carry + chunk.toString();
    const lines = text.split('\n');
    carry = lines.pop()!;
    const out: Buffer[] = [];
    for (const l of lines) if (l.trim()) out.push(decode(l), Buffer.of(0));
    if (out.length) yield Buffer.concat(out);
  }
  if (carry.trim()) yield Buffer.concat([decode(carry), Buffer.of(0)]);
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

/** Each record of the chunks (without its separator; empty ones skipped), as its own Buffer. */
export async function* listRecords(chunks: AsyncIterable<Buffer>, sep: 0 | 0x0a): AsyncGenerator<Buffer> {
  for await (const buf of readRecordRegions(chunks, sep)) {
    for (let start = 0, i = buf.indexOf(sep); i >= 0; start = i + 1, i = buf.indexOf(sep, start)) if (i > start) yield Buffer.from(buf.subarray(start, i));
  }
}
