// cptree's copies: exact (rsync and our own comparison agree), and SRC DST
// resolved as cp -a resolves them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cptree, makeCopyTree, rsyncDiff, tempsIn, treeDiff } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';

let src: string;
let out: string;

beforeAll(async () => {
  src = await makeCopyTree();
  out = fastTmp('ioaio-cp-');
});
afterAll(() => {
  removeTree(src);
  removeTree(out);
});

describe('cptree copies', () => {
  it('a rich tree exactly: rsync -aHAX --checksum finds nothing to do, nor does our own comparison', () => {
    const dst = join(out, 'exact');
    const r = cptree([src, dst]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(rsyncDiff(src, dst)).toBe('');
    expect(treeDiff(src, dst)).toEqual([]);
    expect(tempsIn(dst)).toEqual([]);
  });

  it('across filesystems too (tmpfs to the disk): the same checks', () => {
    const dst = join(src, '..', `${src.split('/').pop()}-copy`);
    try {
      const r = cptree([src, dst]);
      expect(r.status).toBe(0);
      expect(rsyncDiff(src, dst)).toBe('');
      expect(treeDiff(src, dst)).toEqual([]);
    } finally {
      removeTree(dst);
    }
  });

  it('DST that is an existing directory receives DST/basename(SRC), as cp -a', () => {
    const into = join(out, 'into');
    mkdirSync(into);
    expect(cptree([join(src, 'sub'), into]).status).toBe(0);
    expect(readFileSync(join(into, 'sub/a.c'), 'utf8')).toBe('int a;\n');
    expect(treeDiff(join(src, 'sub'), join(into, 'sub'))).toEqual([]);
  });

  it('-T/--merge: DST itself is the copy; what only DST has stays', () => {
    const m = join(out, 'merge');
    mkdirSync(m);
    writeFileSync(join(m, 'mine'), 'kept');
    expect(cptree(['-T', join(src, 'sub'), m]).status).toBe(0);
    expect(readFileSync(join(m, 'a.c'), 'utf8')).toBe('int a;\n');
    expect(readFileSync(join(m, 'mine'), 'utf8')).toBe('kept');
    expect(existsSync(join(m, 'sub'))).toBe(false);
  });

  it('a single file, symlink or fifo as SRC is copied to DST', () => {
    expect(cptree([join(src, 'random.bin'), join(out, 'one.bin')]).status).toBe(0);
    expect(readFileSync(join(out, 'one.bin')).equals(readFileSync(join(src, 'random.bin')))).toBe(true);
    expect(cptree([join(src, 'fifo'), join(out, 'fifo')]).status).toBe(0);
    expect(treeDiff(join(src, 'sub'), join(out, 'into/sub'))).toEqual([]);
  });

  it('refuses a tree into itself, onto itself, and a missing SRC: one line, exit 2, nothing written', () => {
    const cases: [string[], RegExp][] = [
      [[src, join(src, 'sub/new')], /^cptree: .*sub\/new: is inside the source '.*': refusing to copy a tree into itself\n$/],
      [[src, src], /^cptree: .*: is inside the source/], // cp's rule makes it SRC/basename(SRC)
      [['-T', src, src], /^cptree: .*: cannot copy a tree onto itself/],
      [[join(out, 'missing'), join(out, 'x')], /^cptree: .*missing: no such file or directory\n$/],
      [[src, join(out, 'no/such/parent')], /^cptree: .*no\/such: no such file or directory\n$/],
      [['-T', src, join(src, 'file.txt')], /cannot overwrite a non-directory with a directory/],
    ];
    for (const [args, re] of cases) {
      const r = cptree(args);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.status).toBe(2);
    }
    expect(existsSync(join(src, 'sub/new'))).toBe(false);
    expect(existsSync(join(out, 'x'))).toBe(false);
  });
});
