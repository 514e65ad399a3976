// readdir and readdirx: names, types, inodes, flags, raw names, big directories.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, type ReaddirxResult } from '../../src/aio/index.js';
import { cbFails, cbOk, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({
  'a.txt': 'a',
  'b.txt': 'bb',
  zdir: { inner: 'i' },
  adir: {},
  mdir: {},
  'ln-file': { symlink: 'a.txt' },
  'ln-dir': { symlink: 'zdir' },
  'ünïcødé': 'u',
});
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

const sorted = (xs: (string | Buffer)[]) => xs.map(String).sort();

describe('readdir', () => {
  it('returns the same names as fs.readdirSync, without . and ..', async () => {
    const names = (await aio.readdir(root)) as string[];
    expect(names).not.toContain('.');
    expect(names).not.toContain('..');
    expect(sorted(names)).toEqual(fs.readdirSync(root).sort());
    expect(names).toContain('ünïcødé');
  });

  it('callback form; an empty directory gives []', async () => {
    const names = await cbOk<(string | Buffer)[]>((cb) => aio.readdir(P('zdir'), cb));
    expect(names).toEqual(['inner']);
    expect(await cbOk<(string | Buffer)[]>((cb) => aio.readdir(P('adir'), cb))).toEqual([]);
  });

  it('errors: ENOENT, ENOTDIR, in both forms', async () => {
    await rejectsWith(aio.readdir(P('none')), { code: 'ENOENT', syscall: 'readdir', path: P('none') });
    await cbFails((cb) => aio.readdir(P('a.txt'), cb), { code: 'ENOTDIR', syscall: 'readdir', path: P('a.txt') });
  });

  it("encoding 'buffer' returns Buffers and round-trips a non-UTF-8 name", async () => {
    const dir = makeTree({ plain: 'p' });
    try {
      const raw = Buffer.from([0x66, 0xff, 0x6f]);
      fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), raw]), 'raw');
      const names = (await aio.readdir(dir, { encoding: 'buffer' })) as Buffer[];
      expect(names).toHaveLength(2);
      for (const n of names) expect(Buffer.isBuffer(n)).toBe(true);
      const back = names.find((n) => !n.equals(Buffer.from('plain')))!;
      expect(back).toEqual(raw);
      // The returned bytes name the file.
      const st = await aio.stat(Buffer.concat([Buffer.from(`${dir}/`), back]));
      expect(st.size).toBe(3);
      // As a string, the invalid byte is replaced, as fs.readdirSync does.
      expect(sorted(await aio.readdir(dir))).toEqual(fs.readdirSync(dir).sort());
    } finally {
      removeTree(dir);
    }
  });

  it('a directory of 5000 entries (payload > 64 KiB, the detached path) comes back whole', async () => {
    const dir = makeTree({});
    try {
      const want: string[] = [];
      for (let i = 0; i < 5000; i++) {
        const n = `entry-with-a-longish-name-${String(i).padStart(5, '0')}`;
        want.push(n);
        fs.writeFileSync(`${dir}/${n}`, '');
      }
      const names = (await aio.readdir(dir)) as string[];
      expect(names).toHaveLength(5000);
      expect(new Set(names).size).toBe(5000);
      expect([...names].sort()).toEqual(want);
      const x = await cbOk<ReaddirxResult<string | Buffer>>((cb) => aio.readdirx(dir, 0, cb));
      expect(x.entries).toHaveLength(5000);
      expect(x.entries.every((e) => e.type === aio.DT_REG && e.ino > 0)).toBe(true);
      const inoOf = new Map(x.entries.map((e) => [e.name as string, e.ino]));
      expect(inoOf.get(want[4321]!)).toBe(fs.lstatSync(`${dir}/${want[4321]}`).ino);
      const raw = (await aio.readdir(dir, { encoding: 'buffer' })) as Buffer[];
      expect(raw.map(String).sort()).toEqual(want);
    } finally {
      removeTree(dir);
    }
  });
});

describe('readdirx', () => {
  it('entries carry DT_* types and the lstat inode', async () => {
    const { entries, flags } = (await aio.readdirx(root)) as ReaddirxResult;
    expect(sorted(entries.map((e) => e.name))).toEqual(fs.readdirSync(root).sort());
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(by.get('a.txt')!.type).toBe(aio.DT_REG);
    expect(by.get('zdir')!.type).toBe(aio.DT_DIR);
    expect(by.get('ln-file')!.type).toBe(aio.DT_LNK);
    expect(by.get('ln-dir')!.type).toBe(aio.DT_LNK);
    for (const e of entries) expect(e.ino).toBe(fs.lstatSync(P(e.name)).ino);
    expect(flags & aio.READDIR_FOUND_UNKNOWN).toBe(0);
  });

  it('FIFOs are DT_FIFO', async () => {
    await aio.mknod(P('fifo'), fs.constants.S_IFIFO | 0o644);
    const { entries } = (await aio.readdirx(root)) as ReaddirxResult;
    expect(entries.find((e) => e.name === 'fifo')?.type).toBe(aio.DT_FIFO);
  });

  it('READDIR_DIRS_FIRST puts every directory before every other entry', async () => {
    const { entries } = (await aio.readdirx(root, aio.READDIR_DIRS_FIRST)) as ReaddirxResult;
    const types = entries.map((e) => (e.type === aio.DT_DIR ? 'd' : 'n')).join('');
    expect(types).toMatch(/^d+n+$/);
    expect(entries.filter((e) => e.type === aio.DT_DIR).map((e) => e.name).sort()).toEqual(['adir', 'mdir', 'zdir']);
  });

  it('READDIR_STAT_ORDER still returns every entry', async () => {
    const { entries } = (await aio.readdirx(root, aio.READDIR_STAT_ORDER)) as ReaddirxResult;
    expect(sorted(entries.map((e) => e.name))).toEqual(fs.readdirSync(root).sort());
  });

  it("callback form with encoding 'buffer'", async () => {
    const r = await cbOk<ReaddirxResult<string | Buffer>>((cb) => aio.readdirx(P('zdir'), 0, { encoding: 'buffer' }, cb));
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]!.name).toEqual(Buffer.from('inner'));
    expect(r.entries[0]!.type).toBe(aio.DT_REG);
    await cbFails((cb) => aio.readdirx(P('missing'), 0, cb), { code: 'ENOENT', path: P('missing') });
  });
});
