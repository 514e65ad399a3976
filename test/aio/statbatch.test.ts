import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, dirCacheClose, dirCacheOpen } from '../../src/aio/index.js';
import { DIST_INDEX, ensureDist } from '../helpers/child.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ a: { 'x.txt': '1', 'y.txt': '22', sub: { 'z.txt': '333' } }, 'b.txt': 'b' });
symlinkSync('a/x.txt', `${root}/link`);
afterAll(() => removeTree(root));

const encode = (paths: string[]) => Buffer.concat(paths.map((p) => Buffer.from(`${p}\0`)));

describe('statBatch', () => {
  it('stats every path in order, in and out of shared directories, like lstat', async () => {
    const paths = [`${root}/a/x.txt`, `${root}/a/y.txt`, `${root}/a/sub`, `${root}/a/sub/z.txt`, `${root}/b.txt`, '/', `${root}/a/`, `${root}/link`, '/etc', '/tmp'];
    const res = await aio.statBatch(encode(paths), paths.length);
    expect(res.count).toBe(paths.length);
    paths.forEach((p, i) => {
      expect(res.errno(i), p).toBe(0);
      const want = lstatSync(p);
      const st = res.stats(i);
      expect([st.ino, st.mode, st.size, st.mtimeMs], p).toEqual([want.ino, want.mode, want.size, want.mtimeMs]);
    });
  });

  it('reports each failure as its errno, the rest still stat-ed; follow stats the target', async () => {
    const paths = [`${root}/a/x.txt`, `${root}/a/missing`, `${root}/b.txt/under-a-file`, `${root}/a/y.txt`, `${root}/link`];
    const res = await aio.statBatch(encode(paths), paths.length, true);
    expect([0, 1, 2, 3, 4].map((i) => res.errno(i))).toEqual([0, 2, 20, 0, 0]); // ENOENT, ENOTDIR
    expect(res.stats(4).ino).toBe(statSync(`${root}/link`).ino);
    expect(res.stats(4).ino).not.toBe(lstatSync(`${root}/link`).ino);
  });

  it('refuses input C could read past, at once', () => {
    expect(() => aio.statBatch(Buffer.from('/etc'), 1)).toThrow(TypeError); // no NUL
    expect(() => aio.statBatch(encode(['/etc']), 0)).toThrow(TypeError);
    expect(() => aio.statBatch(encode(['/etc']), 9)).toThrow(TypeError);
  });

  it('rejects a count that does not match the paths (checked in C)', async () => {
    await expect(aio.statBatch(encode(['/etc', '/tmp']), 1)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('dirCacheOpen', () => {
  it('gives the same results through handles kept across requests, and closes only when idle', async () => {
    const cache = dirCacheOpen();
    const paths = [`${root}/a/x.txt`, `${root}/b.txt`, `${root}/a/y.txt`, `${root}/a/sub/z.txt`, `${root}/a/missing`];
    const [one, two] = await Promise.all([aio.statBatch(encode(paths), paths.length, false, cache), aio.statBatch(encode(paths.slice(2)), 3, false, cache)]);
    paths.forEach((p, i) => {
      if (i === 4) return expect(one.errno(i)).toBe(2);
      expect(one.stats(i).ino, p).toBe(lstatSync(p).ino);
    });
    expect(two.stats(1).ino).toBe(lstatSync(paths[3]!).ino);
    const pending = aio.statBatch(encode(paths), paths.length, false, cache);
    expect(() => dirCacheClose(cache)).toThrow(/EBUSY/);
    await pending;
    dirCacheClose(cache);
    expect(() => dirCacheClose(cache)).toThrow(/EINVAL/);
    await expect(aio.statBatch(encode(paths), 1, false, cache)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('dirCacheOpen across threads', () => {
  // pstat on NFS sends sibling directories' paths to many threads at once;
  // each directory should cost one lookup of its own name, from its parent's
  // handle, also when another thread is still opening that parent.
  it('opens every directory once, by its last component relative to its parent', () => {
    ensureDist();
    const spec: Record<string, Record<string, Record<string, string>>> = {};
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) (spec[`p${i}`] ??= {})[`q${j}`] = { f: 'x' };
    const tree = makeTree(spec);
    const log = `${tree}.strace`;
    try {
      const paths = Object.keys(spec).flatMap((p) => Object.keys(spec[p]!).map((q) => `${tree}/${p}/${q}/f`));
      const script = `import { aio, dirCacheOpen, dirCacheClose } from ${JSON.stringify(pathToFileURL(DIST_INDEX).href)};
aio.minParallel(8); aio.maxParallel(8);
const cache = dirCacheOpen();
const paths = ${JSON.stringify(paths)};
const res = await Promise.all(paths.map((p) => aio.statBatch(Buffer.from(p + '\\0'), 1, false, cache)));
dirCacheClose(cache);
process.stdout.write(res.map((r) => r.errno(0)).join(','));`;
      const r = spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=openat', '-o', log, process.execPath, '--input-type=module', '-e', script], { timeout: 20_000 });
      expect(r.stderr.toString()).toBe('');
      expect(r.stdout.toString()).toBe(paths.map(() => 0).join(','));
      // openat(3</tmp/ioaio-test-x/p0>, "q1", O_RDONLY|O_CLOEXEC|O_PATH|O_DIRECTORY) = 5</tmp/...>
      const opens = [...readFileSync(log, 'latin1').matchAll(/openat\((\d+)<([^>]*)>, "([^"]*)", [^)\n]*O_PATH\|O_DIRECTORY/g)]
        .map((m) => ({ from: m[2]!, name: m[3]! }))
        .filter((o) => o.from === tree || o.from.startsWith(`${tree}/`));
      expect(opens.filter((o) => o.name.includes('/'))).toEqual([]);
      const dirs = opens.map((o) => `${o.from}/${o.name}`).sort();
      const want = Object.keys(spec).flatMap((p) => [`${tree}/${p}`, ...Object.keys(spec[p]!).map((q) => `${tree}/${p}/${q}`)]).sort();
      expect(dirs).toEqual(want);
    } finally {
      rmSync(log, { force: true });
      removeTree(tree);
    }
  });
});
