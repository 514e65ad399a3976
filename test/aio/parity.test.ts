// docs/io-aio-parity.md against the installed IO::AIO and against aio's
// exports: nothing IO::AIO offers goes missing from the table, no name the
// table gives is absent from aio, and a call marked "not yet" that aio has
// since gained must have its row updated.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

const doc = readFileSync(new URL('../../docs/io-aio-parity.md', import.meta.url), 'utf8');
const rows = [...doc.matchAll(/^\| `([^`]+)` \| (?:`([^`]+)`|—) \| (same|differs|not yet) \|/gm)].map((m) => ({ perl: m[1]!, ours: m[2], status: m[3]! }));

/** IO::AIO's own export lists, from the module installed here. */
function ioAioNames(): string[] {
  const out = execFileSync('perl', ['-MIO::AIO', '-e', 'print join "\\n", @IO::AIO::AIO_REQ, @IO::AIO::EXPORT, @IO::AIO::EXPORT_OK'], { encoding: 'utf8' });
  return [...new Set(out.split('\n').filter(Boolean))].map((n) => (n.startsWith('aio') ? n : `IO::AIO::${n}`));
}

const camel = (perl: string) => perl.replace(/^IO::AIO::|^aioreq_|^aio_/, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('docs/io-aio-parity.md', () => {
  it('has one row for every call IO::AIO exports', () => {
    expect(rows.length).toBeGreaterThan(80);
    const inTable = new Set(rows.map((r) => r.perl));
    expect(ioAioNames().filter((n) => !inTable.has(n))).toEqual([]);
    expect(rows.length).toBe(inTable.size); // no call twice
  });

  it('every ioaio name it gives is a function of aio, and only "not yet" rows lack one', () => {
    const api = aio as unknown as Record<string, unknown>;
    expect(rows.filter((r) => r.ours && typeof api[r.ours] !== 'function').map((r) => r.ours)).toEqual([]);
    expect(rows.filter((r) => (r.status === 'not yet') !== (r.ours === undefined)).map((r) => r.perl)).toEqual([]);
  });

  it('no "not yet" call has quietly arrived under its IO::AIO name', () => {
    const api = aio as unknown as Record<string, unknown>;
    const given = new Set(rows.map((r) => r.ours));
    const arrived = rows.filter((r) => r.status === 'not yet' && !given.has(camel(r.perl)) && camel(r.perl) in api);
    expect(arrived.map((r) => r.perl)).toEqual([]);
  });
});
