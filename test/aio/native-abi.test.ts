// The TypeScript mirror of ioaio.h (kinds.ts) against the compiled library
// and against the header text itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/aio/native/binding.js';
import * as kinds from '../../src/aio/native/kinds.js';

const { ABI_VERSION, K, KIND_NAMES } = kinds;
const header = readFileSync(new URL('../../native/include/ioaio.h', import.meta.url), 'utf8');

/** Names of an enum's members in header order, without the trailing count. */
function enumMembers(body: string): string[] {
  return body
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(',')
    .map((s) => s.trim().split(/\s*=/)[0]!)
    .filter(Boolean);
}

describe('native ABI', () => {
  it('kindName(i) equals KIND_NAMES[i] for every kind, and null past the end', () => {
    const n = loadNative();
    KIND_NAMES.forEach((name, i) => expect(n.kindName(i), `kind ${i}`).toBe(name));
    expect(n.kindName(KIND_NAMES.length)).toBeNull();
    expect(n.kindName(-1)).toBeNull();
  });

  it('abiVersion matches ABI_VERSION and the header', () => {
    expect(loadNative().abiVersion()).toBe(ABI_VERSION);
    expect(header).toMatch(new RegExp(`#define IOAIO_ABI_VERSION ${ABI_VERSION}\\b`));
  });

  it('K maps upper-cased names to their index', () => {
    expect(K.NOP).toBe(0);
    expect(K.STAT).toBe(KIND_NAMES.indexOf('stat'));
    expect(K.SYNC_FILE_RANGE).toBe(KIND_NAMES.indexOf('sync_file_range'));
    expect(Object.keys(K)).toHaveLength(KIND_NAMES.length);
  });

  it("IOAIO_KINDS in ioaio.h lists the same kinds in the same order, and the enum is made from it", () => {
    const list = /#define IOAIO_KINDS\(X\) \\\n([\s\S]*?)\n(?!\s+X)/.exec(header)?.[1];
    expect(list).toBeDefined();
    const pairs = [...list!.matchAll(/X \((\w+), "(\w+)"\)/g)].map((m) => [m[1]!, m[2]!]);
    expect(pairs.map(([, name]) => name)).toEqual([...KIND_NAMES]);
    for (const [k, name] of pairs) expect(k).toBe(name!.toUpperCase());
    expect(/enum ioaio_kind \{\s*#define IOAIO_KIND_ENUM_\(k, name\) IOAIO_##k,\s*IOAIO_KINDS \(IOAIO_KIND_ENUM_\)/.test(header)).toBe(true);
  });

  it('record layout constants match ioaio.h', () => {
    const define = (name: string) => {
      const m = new RegExp(`#define ${name} (.+)`).exec(header);
      expect(m, name).not.toBeNull();
      return Function(`return ${m![1]!.replace(/\/\*.*$/, '')}`)() as number;
    };
    expect(define('IOAIO_POLL_HEADER')).toBe(kinds.POLL_HEADER);
    expect(define('IOAIO_REC_HEADER')).toBe(kinds.REC_HEADER);
    expect(define('IOAIO_INLINE_MAX')).toBe(kinds.INLINE_MAX);
    const value = (name: string) => Number(new RegExp(`${name} = (\\d+)`).exec(header)?.[1]);
    expect(value('IOAIO_R_CANCELLED')).toBe(kinds.R_CANCELLED);
    expect(value('IOAIO_R_DETACHED')).toBe(kinds.R_DETACHED);
    expect(value('IOAIO_POLL_MORE_RESULTS')).toBe(kinds.POLL_MORE_RESULTS);
    expect(value('IOAIO_POLL_MORE_DONE')).toBe(kinds.POLL_MORE_DONE);
    expect(value('IOAIO_COPY_EXCL')).toBe(kinds.COPY_EXCL);
    for (const k of ['POLL_FLAGS_AT', 'REC_SLOT_AT', 'REC_LEN_AT', 'REC_RESULT_AT', 'REC_ERRNO_AT', 'REC_KIND_AT', 'REC_RFLAGS_AT'] as const) expect(value(`IOAIO_${k}`), k).toBe(kinds[k]);
    const fields = (e: string) => enumMembers(new RegExp(`enum ${e} \\{([\\s\\S]*?)\\};`).exec(header)![1]!).length - 1;
    expect(fields('ioaio_stat_field')).toBe(kinds.STAT_FIELDS);
    expect(fields('ioaio_statvfs_field')).toBe(kinds.STATVFS_FIELDS);
    expect(fields('ioaio_cf_at')).toBe(kinds.CF_AT.length);
    expect(define('IOAIO_CF_RECORD_FIELDS')).toBe(kinds.CF_RECORD_FIELDS);
    expect(define('IOAIO_CF_CHANGE_TRIES')).toBe(kinds.CF_CHANGE_TRIES);
  });
});
