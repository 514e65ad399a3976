import { afterAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'a.txt': 'hello', sub: { 'b.txt': 'x' } });
afterAll(() => removeTree(root));

describe('smoke', () => {
  it('lstat through the promise form', async () => {
    const st = await aio.lstat(`${root}/a.txt`);
    expect(st.size).toBe(5);
  });
});
