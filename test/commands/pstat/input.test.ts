import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRecordRegions } from '../../../src/cli/path-list.js';
import { readPathChunks, type PathChunk } from '../../../src/commands/pstat/input.js';
import { Ordered } from '../../../src/commands/pstat/ordered.js';

const records = ({ buf, bounds }: PathChunk) => Array.from({ length: bounds.length / 2 }, (_, i) => buf.subarray(bounds[2 * i], bounds[2 * i + 1]));

async function collect(chunks: (string | Buffer)[], sep: 0 | 0x0a): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of readPathChunks(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), sep)) out.push(...records(c));
  return out;
}

describe('readPathChunks', () => {
  it('splits lines across chunk boundaries, keeps empty lines and a last unterminated record', async () => {
    const got = await collect(['a/b\nc', 'd\n\ne', 'f'], 0x0a);
    expect(got.map(String)).toEqual(['a/b', 'cd', '', 'ef']);
  });

  it('NUL-separated records keep newlines and non-UTF-8 bytes exactly', async () => {
    const odd = Buffer.from([0x66, 0xff, 0x0a, 0x6f]);
    const got = await collect([Buffer.concat([odd, Buffer.from([0]), Buffer.from('x')]), Buffer.from([0])], 0);
    expect(got).toEqual([odd, Buffer.from('x')]);
  });

  it('yields the first path before the input has ended (a slow producer)', async () => {
    const input = new PassThrough();
    const it = readPathChunks(input, 0x0a)[Symbol.asyncIterator]();
    input.write('first\nsec');
    const first = await it.next();
    expect(records(first.value as PathChunk).map(String)).toEqual(['first']);
    input.end('ond\n');
    expect(records((await it.next()).value as PathChunk).map(String)).toEqual(['second']);
    expect((await it.next()).done).toBe(true);
  });

  it('an unterminated last record does not keep its whole input chunk alive (it is a copy)', async () => {
    const [, tail] = await collect(['x'.repeat(100_000) + '\n' + 'tail'], 0x0a);
    expect(String(tail)).toBe('tail');
    expect(tail!.buffer.byteLength).toBeLessThan(10_000);
  });
});

describe('readRecordRegions', () => {
  it('every region ends in the separator and holds whole records; together they are the input, a last separator added', async () => {
    const chunks = ['a/b\nc', 'd', 'e\n\nf\ng', 'h'];
    const regions: Buffer[] = [];
    for await (const r of readRecordRegions(Readable.from(chunks.map((c) => Buffer.from(c))), 0x0a)) regions.push(r);
    expect(regions.map(String)).toEqual(['a/b\n', 'cde\n', '\nf\n', 'gh\n']);
  });
});

describe('Ordered', () => {
  it('hands results out in sequence order whatever order they arrive in', () => {
    const out: string[] = [];
    const o = new Ordered<string>(() => 8, (v) => out.push(v));
    o.put(2, 'c');
    o.put(1, 'b');
    expect(out).toEqual([]);
    expect(o.pending).toBe(2);
    o.put(0, 'a');
    expect(out).toEqual(['a', 'b', 'c']);
    o.put(4, 'e');
    o.put(3, 'd');
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(o.pending).toBe(0);
  });

  it('canIssue bounds how far ahead of the output requests may run', () => {
    const o = new Ordered<number>(() => 3, () => {});
    expect([0, 1, 2, 3].map((n) => o.canIssue(n))).toEqual([true, true, true, false]);
    o.put(0, 0);
    expect(o.canIssue(3)).toBe(true);
    expect(o.next()).toBe(1);
  });

  it('undefined is a value like any other', () => {
    const out: unknown[] = [];
    const o = new Ordered<undefined | number>(() => 4, (v) => out.push(v));
    o.put(1, 1);
    o.put(0, undefined);
    expect(out).toEqual([undefined, 1]);
  });
});
