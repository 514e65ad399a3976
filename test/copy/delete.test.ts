// --delete's engine (src/copy/delete.ts) on its own, on a real directory:
// what is extra, what is kept, and that a dry run only reports.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExtras, type DeleteOptions, type SourceNames } from '../../src/copy/delete.js';
import type { DirJob } from '../../src/copy/jobs.js';
import { excluder } from '../../src/walk/glob.js';
import { fastTmp } from '../helpers/scan-tree.js';
import { removeTree } from '../helpers/tree.js';

let work: string;
beforeAll(() => (work = fastTmp('ioaio-del-')));
afterAll(() => removeTree(work));

function scene(name: string): { dir: string; job: DirJob } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'extra-dir/deep'), { recursive: true });
  writeFileSync(join(dir, 'extra-dir/deep/f'), 'f');
  writeFileSync(join(dir, 'extra-dir/keep.log'), 'l');
  writeFileSync(join(dir, 'extra'), 'e');
  writeFileSync(join(dir, 'kept'), 'k');
  writeFileSync(join(dir, 'x.log'), 'x');
  mkdirSync(join(dir, 'now-a-file'));
  writeFileSync(join(dir, '.ioaio-cp.0000000100000001'), 'a live run\'s temporary');
  symlinkSync('/etc', join(dir, 'link'));
  const job = { parent: undefined, name: undefined, srcPath: Buffer.from('/src'), dstPath: Buffer.from(dir), rel: Buffer.alloc(0), srcWd: undefined, dstWd: undefined, pending: 0, ok: true } as DirJob;
  return { dir, job };
}

// what the source directory has: "kept" (a file) and "now-a-file" (a file where DST has a directory)
const src: SourceNames = new Map([['kept', false], ['now-a-file', false]]);
const options = (o: Partial<DeleteOptions>): DeleteOptions => ({ excluded: false, exclude: undefined, globs: [], oneFileSystem: false, rootDev: 0, dryRun: false, parallel: 4, ...o });

describe('deleteExtras', () => {
  it('removes what the source has not, and a directory where it has a file; never a temporary; links as links', async () => {
    const { dir, job } = scene('plain');
    const deleted: string[] = [];
    const r = await deleteExtras(job, src, options({}), { wantsEntries: true, deleted: (type, p) => deleted.push(`${type} ${p.toString().slice(dir.length + 1)}`), error: (p, e) => { throw new Error(`${p}: ${e.message}`); } });
    expect(readdirSync(dir).sort()).toEqual(['.ioaio-cp.0000000100000001', 'kept']);
    expect(existsSync('/etc/passwd')).toBe(true);
    expect(deleted).toEqual(expect.arrayContaining(['file extra', 'file x.log', 'symlink link', 'dir now-a-file', 'dir extra-dir', 'file extra-dir/deep/f']));
    expect(r.deleted).toBe(deleted.length);
  });

  it('keeps what --exclude leaves out, below a removed directory too; --delete-excluded removes it', async () => {
    const a = scene('excl');
    const exclude = excluder(['*.log']);
    await deleteExtras(a.job, src, options({ exclude, globs: ['*.log'] }), { wantsEntries: false, deleted() {}, error() {} });
    expect(readdirSync(a.dir).sort()).toEqual(['.ioaio-cp.0000000100000001', 'extra-dir', 'kept', 'x.log']);
    expect(readdirSync(join(a.dir, 'extra-dir'))).toEqual(['keep.log']);
    const b = scene('excl2');
    await deleteExtras(b.job, src, options({ exclude, globs: ['*.log'], excluded: true }), { wantsEntries: false, deleted() {}, error() {} });
    expect(readdirSync(b.dir).sort()).toEqual(['.ioaio-cp.0000000100000001', 'kept']);
  });

  it('a dry run reports and removes nothing', async () => {
    const { dir, job } = scene('dry');
    const before = readdirSync(dir).sort();
    let n = 0;
    const r = await deleteExtras(job, src, options({ dryRun: true }), { wantsEntries: true, deleted: () => n++, error() {} });
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(n).toBeGreaterThan(5);
    expect(r.deleted).toBe(n);
  });
});
