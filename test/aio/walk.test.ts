import { afterAll, describe, expect, it } from 'vitest';
import { LIST_DIRS, LIST_OTHERS, LIST_SLASH, walkClose, walkOpen, walkPending, walkPush, walkStep, type WalkStep } from '../../src/aio/index.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ a: { 'x.txt': '1', sub: { 'y.txt': '2', deeper: {} } }, 'b.txt': 'b', empty: {} });
afterAll(() => removeTree(root));

/** Runs a walk to its end, two steps at a time, as the tree walker does. */
async function walkAll(walk: number, budget = 1): Promise<{ lines: string[]; steps: WalkStep[]; records: [number, number, string][] }> {
  const steps: WalkStep[] = [];
  const records: [number, number, string][] = [];
  let text = '';
  for (let n = walkPending(walk); n > 0; n = walkPending(walk)) {
    const batch = await Promise.all(Array.from({ length: Math.min(n, 2) }, () => walkStep(walk, budget, 100_000)));
    for (const s of batch) {
      steps.push(s);
      text += s.buf.toString('latin1', s.linesStart, s.linesEnd);
      s.eachRecord((errno, depth, path) => records.push([errno, depth, path.toString()]));
    }
  }
  walkClose(walk);
  return { lines: text.split(/[\n\0]/).filter(Boolean).sort(), steps, records };
}

describe('walkOpen / walkStep', () => {
  it('lists a whole tree as lines, with counts by type', async () => {
    const walk = walkOpen(LIST_DIRS | LIST_OTHERS | LIST_SLASH, 10, 100);
    walkPush(walk, Buffer.from(root), 0);
    const { lines, steps, records } = await walkAll(walk);
    expect(lines).toEqual([`${root}/a/`, `${root}/a/sub/`, `${root}/a/sub/deeper/`, `${root}/a/sub/y.txt`, `${root}/a/x.txt`, `${root}/b.txt`, `${root}/empty/`]);
    expect(steps.reduce((n, s) => n + s.dirs, 0)).toBe(4);
    expect(steps.reduce((n, s) => n + s.files, 0)).toBe(3);
    expect(steps.reduce((n, s) => n + s.listed, 0)).toBe(5); // the root and its four directories
    expect(records).toEqual([]);
  });

  it('stops at maxDepth, and reports a path it cannot list as a record', async () => {
    const walk = walkOpen(LIST_OTHERS, 0, 1);
    walkPush(walk, Buffer.from(root), 0);
    walkPush(walk, Buffer.from(`${root}/b.txt`), 0);
    walkPush(walk, Buffer.from(`${root}/missing`), 0);
    const { lines, records } = await walkAll(walk, 1 << 20);
    expect(lines).toEqual([`${root}/b.txt`]);
    expect(records.sort()).toEqual([
      [2, 0, `${root}/missing`], // ENOENT
      [20, 0, `${root}/b.txt`], // ENOTDIR
    ]);
  });

  it('refuses to close a walk with a step out, and bad arguments at once', async () => {
    const walk = walkOpen(LIST_DIRS, 10, 5);
    walkPush(walk, Buffer.from(root), 0);
    const step = walkStep(walk, 1, 100_000);
    expect(() => walkClose(walk)).toThrow(/EBUSY/);
    await step;
    walkClose(walk); // with directories left on its stack: they are closed with it
    expect(() => walkPending(walk)).toThrow(/EINVAL/);
    expect(() => walkPush(walk, Buffer.from('a\0b'), 0)).toThrow(TypeError);
    expect(() => walkOpen(64, 10, 1)).toThrow(TypeError);
  });
});
