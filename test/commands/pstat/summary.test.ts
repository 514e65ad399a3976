import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio } from '../../../src/aio/index.js';
import { Summary } from '../../../src/commands/pstat/summary.js';
import { makeTree, removeTree } from '../../helpers/tree.js';

const root = makeTree({});
afterAll(() => removeTree(root));

describe('Summary', () => {
  it('counts types, bytes, allocated bytes, sizes in powers of two, and the mtime extremes', async () => {
    writeFileSync(`${root}/empty`, '');
    writeFileSync(`${root}/one`, 'x');
    writeFileSync(`${root}/three`, 'xyz');
    writeFileSync(`${root}/big`, Buffer.alloc(5000, 1));
    mkdirSync(`${root}/d`);
    symlinkSync('one', `${root}/ln`);
    utimesSync(`${root}/three`, 100, 100);
    utimesSync(`${root}/big`, 4e9, 4e9);
    const s = new Summary();
    let allocated = 0;
    for (const n of ['empty', 'one', 'three', 'big', 'd', 'ln']) {
      const st = await aio.lstat(`${root}/${n}`);
      allocated += st.blocks * 512;
      s.add(Buffer.from(`${root}/${n}`), st);
    }
    s.addError();
    const j = s.toJSON();
    expect(j.paths).toBe(6);
    expect(j.errors).toBe(1);
    expect(j.types).toEqual({ dir: 1, file: 4, symlink: 1 });
    expect(j.bytes).toBe(0 + 1 + 3 + 5000);
    expect(j.allocatedBytes).toBe(allocated);
    // empty | size 1 in [1,2) | size 3 in [2,4) | 5000 in [4096, 8192)
    expect(j.sizeHistogram).toEqual([[1, 1], [2, 1], [4, 1], [8192, 1]]);
    expect(j.oldestMtime).toMatchObject({ path: `${root}/three`, sec: 100 });
    expect(j.newestMtime).toMatchObject({ path: `${root}/big`, sec: 4e9 });
    const text = s.toText('pstat');
    expect(text).toContain('6 paths (1 dir, 4 file, 1 symlink), 1 errors');
    expect(text).toContain('oldest mtime 1970-01-01T00:01:40Z');
  });

  it('an empty summary says so', () => {
    const j = new Summary().toJSON();
    expect(j).toMatchObject({ paths: 0, bytes: 0, sizeHistogram: [], oldestMtime: null, newestMtime: null });
  });
});
