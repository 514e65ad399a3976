// aio.move with trees: IO::AIO's aio_move moves files only; ours moves a
// directory by one rename on a filesystem and across filesystems by
// mvtree's engine (copy, syncfs, remove), resolving with counts; refusals
// reject and change nothing; a cancelled move resumes by the same call.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aio, Group, IoaioError, type MoveResult } from '../../src/aio/index.js';
import { rsyncDiff } from '../helpers/cptree.js';
import { digestAt, isRoot, manifest, moveWorkspace } from '../helpers/mvtree.js';
import { cbOk, rejectsWith } from '../helpers/req.js';

const { other, fresh } = moveWorkspace('ioaio-move-');

/** Files, a hard link, a symlink, an empty dir, a deep file, a set mtime. */
function makeTree(root: string, files = 0): void {
  mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'a'), 'alpha');
  writeFileSync(join(root, 'sub', 'deep', 'b'), 'beta'.repeat(1000));
  linkSync(join(root, 'a'), join(root, 'sub', 'a-link'));
  symlinkSync('../a', join(root, 'sub', 'sym'));
  utimesSync(join(root, 'a'), 1_000_000, 1_000_000);
  for (let i = 0; i < files; i++) {
    if (i % 100 === 0) mkdirSync(join(root, 'many', `d${i / 100}`), { recursive: true });
    writeFileSync(join(root, 'many', `d${Math.floor(i / 100)}`, `f${i}`), `file ${i}`.repeat(50));
  }
}

describe('aio.move on one filesystem', () => {
  it('renames a directory (the same inode) and resolves with renamed: 1', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const ino = lstatSync(join(t, 'src')).ino;
    const r = await aio.move(join(t, 'src'), join(t, 'dst'));
    expect(r).toMatchObject({ renamed: 1, files: 0, removed: 0, errors: 0, failed: [] });
    expect(lstatSync(join(t, 'dst')).ino).toBe(ino);
    expect(existsSync(join(t, 'src'))).toBe(false);
  });

  it('onto a non-empty directory: rejects ENOTEMPTY and changes nothing; merge merges', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    mkdirSync(join(t, 'dst'));
    writeFileSync(join(t, 'dst', 'theirs'), 'x');
    await rejectsWith(aio.move(join(t, 'src'), join(t, 'dst')), { code: 'ENOTEMPTY' });
    // the engine's answer too, when a tree option sends it there
    await rejectsWith(aio.move(join(t, 'src'), join(t, 'dst'), { exclude: ['*.tmp'] }), { code: 'ENOTEMPTY' });
    expect(readdirSync(join(t, 'dst'))).toEqual(['theirs']);
    expect(existsSync(join(t, 'src', 'a'))).toBe(true);
    const r = await aio.move(join(t, 'src'), join(t, 'dst'), { merge: true });
    expect(r.errors).toBe(0);
    expect(readdirSync(join(t, 'dst')).sort()).toEqual(['a', 'empty', 'sub', 'theirs']);
    expect(existsSync(join(t, 'src'))).toBe(false);
  });

  it('into itself: rejects EINVAL and changes nothing', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    await rejectsWith(aio.move(join(t, 'src'), join(t, 'src', 'sub', 'in')), { code: 'EINVAL', syscall: 'rename' });
    // with a tree option it is the engine that refuses, before any rename
    const err = await aio.move(join(t, 'src'), join(t, 'src', 'sub', 'in'), { exclude: ['*.tmp'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoaioError);
    expect((err as IoaioError).code).toBe('EINVAL');
    expect((err as IoaioError).message).toMatch(/refusing to move a tree into itself/);
    expect(existsSync(join(t, 'src', 'sub', 'in'))).toBe(false);
  });

  it('a missing src rejects ENOENT (rename, as IO::AIO)', async () => {
    const t = fresh();
    await rejectsWith(aio.move(join(t, 'none'), join(t, 'dst')), { code: 'ENOENT', syscall: 'rename' });
  });
});

describe.skipIf(!isRoot)('aio.move across filesystems (a tmpfs of the test)', () => {
  it('copies the tree exactly, then removes the source, with counts and entries', async () => {
    const t = fresh();
    const ref = join(t, 'ref');
    makeTree(join(t, 'src'));
    execFileSync('cp', ['-a', join(t, 'src'), ref]);
    const dst = join(fresh(other), 'moved');
    const entries: string[] = [];
    const r = await aio.move(join(t, 'src'), dst, { onEntry: (action, p) => entries.push(`${action} ${p.toString()}`) });
    expect(r).toMatchObject({ renamed: 0, files: 2, links: 1, symlinks: 1, dirs: 4, removed: 8, errors: 0, failed: [] });
    expect(r.bytes).toBe(5 + 4000);
    expect(existsSync(join(t, 'src'))).toBe(false);
    expect(rsyncDiff(ref, dst)).toBe('');
    expect(entries).toContain(`copy ${dst}/sub/deep/b`);
    expect(entries).toContain(`rmdir ${join(t, 'src')}`);
    expect(readdirSync(join(dst, '..'))).toEqual(['moved']); // no marker left beside it
  });

  it('onto a non-empty directory: rejects ENOTEMPTY and changes nothing', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const dst = join(fresh(other), 'moved');
    mkdirSync(dst);
    writeFileSync(join(dst, 'theirs'), 'x');
    await rejectsWith(aio.move(join(t, 'src'), dst), { code: 'ENOTEMPTY', syscall: 'move' });
    expect(readdirSync(dst)).toEqual(['theirs']);
    expect(readdirSync(join(dst, '..'))).toEqual(['moved']);
    expect(existsSync(join(t, 'src', 'sub', 'deep', 'b'))).toBe(true);
  });

  it('a file with no options: IO::AIO\'s copy then unlink', async () => {
    const t = fresh();
    writeFileSync(join(t, 'f'), 'across');
    const dst = join(fresh(other), 'f');
    const r = await aio.move(join(t, 'f'), dst);
    expect(r).toMatchObject({ files: 1, bytes: 6, removed: 1 });
    expect(existsSync(join(t, 'f'))).toBe(false);
  });

  it('noClobber keeps an existing target entry and its source; the rest moves', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const dst = join(fresh(other), 'moved');
    mkdirSync(dst);
    writeFileSync(join(dst, 'a'), 'theirs');
    const r = await aio.move(join(t, 'src'), dst, { noClobber: true, merge: true });
    expect(r.kept).toBe(1);
    expect(readFileSync(join(dst, 'a'), 'utf8')).toBe('theirs');
    expect(existsSync(join(t, 'src', 'a'))).toBe(true);
    expect(existsSync(join(t, 'src', 'sub', 'deep', 'b'))).toBe(false);
    expect(existsSync(join(dst, 'sub', 'deep', 'b'))).toBe(true);
  });

  it('dryRun reports and changes nothing', async () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const dst = join(fresh(other), 'moved');
    const entries: string[] = [];
    const r = await aio.move(join(t, 'src'), dst, { dryRun: true, onEntry: (a, p) => entries.push(`${a} ${p}`) });
    expect(r.files).toBe(2);
    expect(entries.length).toBeGreaterThan(5);
    expect(existsSync(dst)).toBe(false);
    expect(existsSync(join(t, 'src', 'a'))).toBe(true);
  });

  it('the callback form returns a Group; onProgress reports while it runs', async () => {
    const t = fresh();
    makeTree(join(t, 'src'), 300);
    const dst = join(fresh(other), 'moved');
    let ticks = 0;
    let g: Group | undefined;
    const r = await cbOk<MoveResult>((cb) => (g = aio.move(join(t, 'src'), dst, { onProgress: () => ticks++, progressMs: 1 }, cb)));
    expect(g).toBeInstanceOf(Group);
    expect(r.files).toBe(302);
    expect(ticks).toBeGreaterThan(0);
  });

  it('an abort rejects ECANCELED with every file whole somewhere; the same call finishes', async () => {
    const t = fresh();
    const src = join(t, 'src');
    makeTree(src, 3000);
    const before = manifest(src);
    const dst = join(fresh(other), 'moved');
    const ac = new AbortController();
    let seen = 0;
    const p = aio.move(src, dst, { signal: ac.signal, onEntry: () => ++seen === 500 && ac.abort() });
    await rejectsWith(p, { code: 'ECANCELED' });
    for (const [rel, sum] of before) expect([rel, digestAt(src, rel) ?? digestAt(dst, rel)]).toEqual([rel, sum]);
    expect(existsSync(dst)).toBe(true);
    const r = await aio.move(src, dst);
    expect(r.errors).toBe(0);
    expect(existsSync(src)).toBe(false);
    expect(manifest(dst)).toEqual(before);
    expect(readdirSync(join(dst, '..'))).toEqual(['moved']);
  });
});
