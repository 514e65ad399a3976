// The entry policy both walkers share (src/walk/entry-policy.ts), on its own:
// which readdir answers need a stat, what a stat means under -L, and where
// the walk goes down.
import { describe, expect, it } from 'vitest';
import { aio, IoaioError, type Stats } from '../../src/aio/index.js';
import { descends, judgeStat, modeToType, needsStat } from '../../src/walk/entry-policy.js';
import { childNode, rootNode } from '../../src/walk/node.js';
import type { WalkOptions } from '../../src/walk/types.js';

const { DT_DIR, DT_REG, DT_LNK, DT_UNKNOWN } = aio;
const base: WalkOptions = { roots: [], maxDepth: Infinity, oneFileSystem: false, follow: false, statAll: false, maxOutstanding: 8, sort: false };
const opts = (o: Partial<WalkOptions>): WalkOptions => ({ ...base, ...o });
const stats = (mode: number, dev = 1, ino = 2) => ({ mode, dev, ino }) as unknown as Stats;
const name = (s: string) => Buffer.from(s);

describe('entry policy', () => {
  it('modeToType gives d_type', () => {
    expect(modeToType(0o040755)).toBe(DT_DIR);
    expect(modeToType(0o100644)).toBe(DT_REG);
    expect(modeToType(0o120777)).toBe(DT_LNK);
  });

  it('a stat only where readdir is not enough', () => {
    expect(needsStat(base, DT_REG, true)).toBe(false);
    expect(needsStat(base, DT_DIR, true)).toBe(false);
    expect(needsStat(base, DT_UNKNOWN, true)).toBe(true);
    expect(needsStat(opts({ statAll: true }), DT_REG, true)).toBe(true);
    expect(needsStat(opts({ follow: true }), DT_LNK, true)).toBe(true);
    expect(needsStat(opts({ follow: true }), DT_DIR, true)).toBe(true); // loops
    expect(needsStat(opts({ oneFileSystem: true }), DT_DIR, true)).toBe(true); // its dev
    expect(needsStat(opts({ oneFileSystem: true }), DT_DIR, false)).toBe(false); // not descended: no need
  });

  it('under -L a dangling link is listed as a link, other failures are reported', () => {
    const root = rootNode(name('/r'), 1);
    const child = childNode(root, name('x'), 0, 1);
    const enoent = new IoaioError({ errno: 2, syscall: 'stat', path: '/r/x' });
    expect(judgeStat(opts({ follow: true }), child, DT_LNK, enoent, undefined)).toEqual({ listed: true, type: DT_LNK, st: undefined });
    expect(judgeStat(base, child, DT_LNK, enoent, undefined)).toMatchObject({ listed: false });
    expect(judgeStat(opts({ follow: true }), child, DT_REG, enoent, undefined)).toMatchObject({ listed: false });
  });

  it('under -L a directory that is its own ancestor is a loop, reported and not listed', () => {
    const root = rootNode(name('/r'), 1, '1:10');
    const a = childNode(root, name('a'), 0, 1, '1:11');
    const link = childNode(a, name('up'), 0, 2);
    const v = judgeStat(opts({ follow: true }), link, DT_LNK, null, stats(0o040755, 1, 10));
    expect(v).toMatchObject({ listed: false });
    expect(!v.listed && v.err.message).toBe('filesystem loop detected');
    const fresh = childNode(a, name('b'), 0, 1);
    expect(judgeStat(opts({ follow: true }), fresh, DT_DIR, null, stats(0o040755, 1, 12))).toMatchObject({ listed: true, type: DT_DIR });
    expect(fresh.id).toBe('1:12');
  });

  it('goes down into directories within maxDepth, and with -x only on the root\'s filesystem', () => {
    const root = rootNode(name('/r'), 7);
    const d = childNode(root, name('d'), 0, 1);
    expect(descends(base, d, DT_DIR, undefined)).toBe(true);
    expect(descends(base, d, DT_REG, undefined)).toBe(false);
    expect(descends(opts({ maxDepth: 1 }), d, DT_DIR, undefined)).toBe(false);
    expect(descends(opts({ oneFileSystem: true }), d, DT_DIR, stats(0o040755, 8))).toBe(false);
    expect(descends(opts({ oneFileSystem: true }), d, DT_DIR, stats(0o040755, 7))).toBe(true);
  });
});
