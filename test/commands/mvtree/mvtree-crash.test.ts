// Never lose a file: mvtree across filesystems killed (-9) at random
// moments, each time checked against a checksum manifest taken before (every
// file whole under SRC or DEST, nothing partial under a final name), then
// finished by the identical command line; ENOSPC in the destination; and
// source entries that cannot be removed.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsyncDiff, tempsIn } from '../../helpers/cptree.js';
import { checkWhole, digestAt, isRoot, killAtMoments, manifest, mountTmpfs, mvtree, umount } from '../../helpers/mvtree.js';
import { fastTmp } from '../../helpers/scan-tree.js';

const work = mkdtempSync(join(fastTmp('ioaio-mvtree-crash-'), 'w'));
const other = join(work, 'other-fs');
beforeAll(() => {
  chmodSync(work, 0o755); // nobody walks through it
  if (isRoot) mountTmpfs(other, '512m');
});
afterAll(() => {
  if (isRoot) umount(other);
  execFileSync('rm', ['-rf', work]);
});

/** dirs^depth leaf directories of `files` files each, of varied sizes (some 64 kB). */
function makeTree(root: string, dirs: number, depth: number, files: number): void {
  mkdirSync(root);
  for (let i = 0; i < files; i++) writeFileSync(join(root, `f${i}`), Buffer.alloc((i % 7) * 9000 + (i % 3), `${root}${i}`));
  if (depth > 0) for (let i = 0; i < dirs; i++) makeTree(join(root, `d${i}`), dirs, depth - 1, files);
}

describe.skipIf(!isRoot)('mvtree killed and run again', () => {
  it('kill -9 at 10 random moments over copy and removal: nothing lost, then the same command finishes the move', async () => {
    const t = join(work, 'k9');
    mkdirSync(t);
    const ref = join(t, 'ref');
    makeTree(ref, 5, 3, 8); // 156 dirs, 1,248 files, ~35 MB
    const files = manifest(ref);
    const src = join(t, 'src');
    const destDir = join(other, 'k9');
    mkdirSync(destDir);
    const dst = join(destDir, 'src');
    const args = ['-j', '2', src, destDir];
    const reset = () => {
      execFileSync('rm', ['-rf', src, dst]);
      execFileSync('cp', ['-a', ref, src]);
    };
    // how long one whole move takes here
    reset();
    const t0 = performance.now();
    expect(mvtree(args).status).toBe(0);
    const whole = performance.now() - t0;
    // ten real kills, one moment in each tenth of the run (node's start, the
    // copy, the sync, the removal); a run that ended before its moment is
    // checked all the same, and its moment tried again a little earlier
    const killed = await killAtMoments(args, {
      kills: 10,
      tries: 40,
      whole,
      reset,
      check: (ms) => {
        expect(checkWhole(files, src, dst), `after a kill at ${ms.toFixed(0)} of ${whole.toFixed(0)} ms`).toEqual([]);
        // unless it got to its very end first, the same command finishes the move
        if (existsSync(src) || readdirSync(destDir).some((x) => x.startsWith('.ioaio-resume.'))) {
          const r = mvtree(args);
          expect([r.status, r.stderr], `re-run after a kill at ${ms.toFixed(0)} ms`).toEqual([0, '']);
        }
        expect(existsSync(src)).toBe(false);
        expect(rsyncDiff(ref, dst)).toBe('');
        expect(tempsIn(dst)).toEqual([]);
        expect(readdirSync(destDir).filter((x) => x.startsWith('.ioaio'))).toEqual([]);
      },
    });
    expect(killed).toBe(10);
  }, 180_000);

  it('ENOSPC in the destination: exit 1, SRC keeps all that is not whole in DEST; with room, the same command finishes', () => {
    const t = join(work, 'nospc');
    mkdirSync(t);
    const src = join(t, 'src');
    makeTree(src, 4, 2, 10); // ~2.5 MB
    const files = manifest(src);
    const small = join(t, 'small');
    mountTmpfs(small, '1m');
    try {
      const dst = join(small, 'src');
      const r = mvtree([src, small]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no space left on device/);
      expect(checkWhole(files, src, dst)).toEqual([]);
      expect(existsSync(src)).toBe(true);
      execFileSync('mount', ['-o', 'remount,size=64m', small]);
      const again = mvtree([src, small]);
      expect([again.status, again.stderr]).toEqual([0, '']);
      expect(existsSync(src)).toBe(false);
      expect(manifest(dst)).toEqual(files);
    } finally {
      umount(small);
    }
  });

  it('source entries that cannot be removed (a read-only directory, as nobody): copied, kept, reported, exit 1', () => {
    const t = join(work, 'ro');
    mkdirSync(t);
    chmodSync(t, 0o777);
    const src = join(t, 'src');
    mkdirSync(join(src, 'locked'), { recursive: true });
    writeFileSync(join(src, 'free'), 'free');
    writeFileSync(join(src, 'locked', 'stuck'), 'stuck');
    for (const p of [src, join(src, 'free'), join(src, 'locked'), join(src, 'locked', 'stuck')]) chownSync(p, 65534, 65534);
    chmodSync(join(src, 'locked'), 0o555);
    const destDir = join(other, 'ro');
    mkdirSync(destDir);
    chmodSync(destDir, 0o777);
    const r = mvtree([src, destDir], { asNobody: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mvtree: .*\/src\/locked\/stuck: .*permission denied/m);
    expect(existsSync(join(src, 'locked', 'stuck'))).toBe(true);
    expect(existsSync(join(src, 'free'))).toBe(false);
    expect(digestAt(join(destDir, 'src'), '/locked/stuck')).toBe(digestAt(src, '/locked/stuck'));
  });

  it('a move stopped while removing its source, run again once it can finish: the target keeps the times the source had before its unlinks', () => {
    const t = join(work, 'ro-again');
    mkdirSync(t);
    chmodSync(t, 0o777);
    const src = join(t, 'src');
    mkdirSync(join(src, 'a', 'locked'), { recursive: true });
    for (const f of ['free', 'a/free', 'a/locked/stuck']) writeFileSync(join(src, f), f);
    execFileSync('chown', ['-R', '65534:65534', src]);
    chmodSync(join(src, 'a', 'locked'), 0o555);
    execFileSync('touch', ['-d', '2001-02-03 04:05:06', src, join(src, 'a')]);
    const ref = join(t, 'ref');
    execFileSync('cp', ['-a', src, ref]);
    const destDir = join(other, 'ro-again');
    mkdirSync(destDir);
    chmodSync(destDir, 0o777);
    expect(mvtree([src, destDir], { asNobody: true }).status).toBe(1);
    // its unlinks moved src's and src/a's mtimes; the marker stays
    expect(readdirSync(destDir).some((x) => x.startsWith('.ioaio-resume.'))).toBe(true);
    chmodSync(join(src, 'a', 'locked'), 0o755);
    const again = mvtree([src, destDir], { asNobody: true });
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(existsSync(src)).toBe(false);
    // the copy was whole before the removal began: what it set stays (a/locked's 0555 too)
    expect(rsyncDiff(ref, join(destDir, 'src'))).toBe('');
  });
});
