import { afterAll, describe, expect, it } from 'vitest';
import { aio, closeListingWd, LIST_DIRS, LIST_KEEP_FD, LIST_OTHERS, LIST_SLASH, listdirAt } from '../../src/aio/index.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ a: { 'x.txt': '1', sub: { 'y.txt': '2' } }, 'b.txt': 'b' });
afterAll(() => removeTree(root));

const lines = (buf: Buffer, s: number, e: number) => buf.subarray(s, e).toString().split('\n').filter(Boolean).sort();

describe('listdir / listdirAt', () => {
  it('lists a directory as lines, with counts and its subdirectories', async () => {
    const l = await aio.listdir(root, LIST_DIRS | LIST_OTHERS | LIST_SLASH, 10);
    expect(lines(l.buf, l.linesStart, l.linesEnd)).toEqual([`${root}/a/`, `${root}/b.txt`]);
    expect([l.dirs, l.files, l.symlinks, l.others, l.unknown]).toEqual([1, 1, 0, 0, 0]);
    const names: string[] = [];
    l.eachName((type, s, e) => names.push(`${type}:${l.buf.toString('utf8', s, e)}`));
    expect(names).toEqual([`${aio.DT_DIR}:a`]);
    expect(l.wd).toBe(0); // not asked to keep it
  });

  it('keeps the directory open and lists a subdirectory relative to it', async () => {
    const l = await aio.listdir(`${root}/a`, LIST_OTHERS | LIST_KEEP_FD, 0);
    expect(l.wd).toBeGreaterThan(0);
    const raw = Buffer.from(`${root}/a/sub/\0`);
    const display = raw.subarray(0, raw.length - 1);
    const name = raw.subarray(raw.length - 5, raw.length - 1); // "sub/"
    const sub = await listdirAt(l.wd, name, display, LIST_OTHERS, 0);
    expect(sub.buf.subarray(sub.linesStart, sub.linesEnd).toString()).toBe(`${root}/a/sub/y.txt\0`);
    closeListingWd(l.wd);
    // the handle is gone: the same request now fails cleanly
    await expect(listdirAt(l.wd, name, display, LIST_OTHERS, 0)).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('refuses Buffers that C could read past (no NUL after them) with a TypeError', () => {
    const ends = Buffer.alloc(4, 'x'); // its memory ends right after it
    const followed = Buffer.from('sub/x').subarray(0, 4); // 'x' follows, not NUL
    const ok = Buffer.from('sub/\0').subarray(0, 4);
    expect(() => listdirAt(0, ends, ok, 0, 0)).toThrow(TypeError);
    expect(() => listdirAt(0, ok, followed, 0, 0)).toThrow(TypeError);
    expect(() => listdirAt(0, 'sub/' as never, ok, 0, 0)).toThrow(TypeError);
  });
});
