// mvtree --from-list: a list's entries moved to the same paths below DEST,
// by rename on one filesystem and by copy, syncfs, unlink across them; by
// N shards of the list and the --finalize after them; killed with SIGKILL
// and run again.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempsIn, treeDiff } from '../../helpers/cptree.js';
import { checkWhole, isRoot, killAtMoments, manifest, mountTmpfs, moveWorkspace, mvtree, umount } from '../../helpers/mvtree.js';
import { plainEnv, ROOT } from '../../helpers/treescan.js';

const { work, other, fresh } = moveWorkspace('ioaio-mvtree-list-');

/** A tree of dirs (old times), files, a symlink, a hard link pair and a fifo. */
function makeTree(root: string, dirs = 6, files = 5): void {
  mkdirSync(root);
  for (let i = 0; i < dirs; i++) {
    const d = join(root, `d${i}`);
    mkdirSync(join(d, 'e'), { recursive: true });
    for (let f = 0; f < files; f++) {
      writeFileSync(join(d, `f${f}`), `${i} ${f}\n`.repeat(f * 300 + 1));
      writeFileSync(join(d, 'e', `g${f}`), `${i}/e ${f}`);
    }
  }
  symlinkSync('d0/f1', join(root, 'link'));
  linkSync(join(root, 'd1', 'f2'), join(root, 'd2', 'hard'));
  execFileSync('mkfifo', [join(root, 'd3', 'fifo')]);
  const old = new Date('2021-03-04T05:06:07Z');
  for (let i = 0; i < dirs; i++) {
    utimesSync(join(root, `d${i}`, 'e'), old, old);
    utimesSync(join(root, `d${i}`), old, old);
  }
  utimesSync(root, old, old);
}

/** treescan -0 of root, less what the filter drops, in file. */
function listOf(root: string, file: string, keep: (p: string) => boolean = () => true): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/treescan'), '-0', root], { env: plainEnv(), maxBuffer: 64 << 20 });
  expect(r.status, r.stderr.toString()).toBe(0);
  writeFileSync(file, Buffer.from(r.stdout.toString('latin1').split('\0').filter((p) => p && keep(p)).map((p) => p + '\0').join(''), 'latin1'));
}

/** SRC, a reference copy of it, its list and where it goes. */
function setUp(destBase: string) {
  const t = fresh();
  const ref = join(t, 'ref');
  makeTree(ref);
  const src = join(t, 'src');
  execFileSync('cp', ['-a', ref, src]);
  const list = join(t, 'list');
  listOf(src, list);
  return { t, ref, src, list, dst: join(fresh(destBase), 'dst') };
}

/** Our files beside DEST (journals, stamps): none once a move is done. */
function ours(dst: string): string[] {
  return readdirSync(join(dst, '..')).filter((n) => n.startsWith('.ioaio'));
}

describe('mvtree --from-list', () => {
  it('on one filesystem, by 3 shards of one list and --finalize: DEST is SRC as it was (directory times too); SRC is gone', () => {
    const { ref, src, list, dst } = setUp(work);
    for (const s of ['2/3', '0/3', '1/3']) {
      const r = mvtree(['--shard', s, '-0', '--from-list', list, src, dst]);
      expect([r.status, r.stderr]).toEqual([0, '']);
    }
    // every file has moved by now; the directories wait for the finalize
    expect(existsSync(join(src, 'd4', 'e'))).toBe(true);
    expect(readdirSync(join(src, 'd4', 'e'))).toEqual([]);
    const r = mvtree(['--finalize', '--shard-count', '3', '--summary', src, dst]);
    expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/^mvtree: 0 renamed; .* 13 source entries removed; 0 kept, 0 errors/)]);
    expect(treeDiff(ref, dst)).toEqual([]);
    expect(existsSync(src)).toBe(false);
    expect(ours(dst)).toEqual([]);
  });

  for (const across of [false, true]) {
    it.skipIf(across && !isRoot)(`--shard without a list ${across ? 'across filesystems' : 'on one filesystem'}: 2 shards of the walk and --finalize move the tree whole`, () => {
      const t = fresh();
      const ref = join(t, 'ref');
      // 140 directories at depth 1: the cut (64 a shard), each a subtree with a directory and files in it
      mkdirSync(ref);
      const old = new Date('2020-05-06T07:08:09Z');
      for (let i = 0; i < 140; i++) {
        mkdirSync(join(ref, `d${i}`, 's'), { recursive: true });
        writeFileSync(join(ref, `d${i}`, 'f'), `f${i}`);
        writeFileSync(join(ref, `d${i}`, 's', 'g'), `g${i}`.repeat(i));
        utimesSync(join(ref, `d${i}`, 's'), old, old);
        utimesSync(join(ref, `d${i}`), old, old);
      }
      writeFileSync(join(ref, 'top'), 'top');
      symlinkSync('top', join(ref, 'link'));
      utimesSync(ref, old, old);
      const src = join(t, 'src');
      execFileSync('cp', ['-a', ref, src]);
      const dst = join(fresh(across ? other : work), 'dst');
      for (const s of ['1/2', '0/2']) {
        const r = mvtree(['--shard', s, src, dst]);
        expect([r.status, r.stderr]).toEqual([0, '']);
      }
      // every file has moved; the subtrees' roots stay in SRC until the
      // finalize (across filesystems the directories below them too, empty)
      expect(readdirSync(src).sort()).toEqual(Array.from({ length: 140 }, (_, i) => `d${i}`).sort());
      expect(execFileSync('find', [src, '!', '-type', 'd']).toString()).toBe('');
      expect(readdirSync(join(src, 'd7'))).toEqual(across ? ['s'] : []);
      const r = mvtree(['--finalize', '--shard-count', '2', src, dst]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(treeDiff(ref, dst)).toEqual([]);
      expect(existsSync(src)).toBe(false);
      expect(ours(dst)).toEqual([]);
      if (across) expect(tempsIn(dst)).toEqual([]);
    });
  }

  it.skipIf(!isRoot)('across filesystems: copied, made durable, then unlinked; hard links stay one inode; a run again is a no-op', () => {
    const { ref, src, list, dst } = setUp(other);
    const args = ['-0', '--from-list', list, src, dst];
    const r = mvtree(['--summary', ...args]);
    expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/^mvtree: 0 renamed; 60 files .* 13 dirs, 1 symlinks, 1 others, 1 hard links copied, 0 up to date; 76 source entries removed/)]);
    expect(treeDiff(ref, dst)).toEqual([]);
    expect(existsSync(src)).toBe(false);
    expect(ours(dst)).toEqual([]);
    const again = mvtree(args);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(treeDiff(ref, dst)).toEqual([]);
  });

  it.skipIf(!isRoot)('--shard on one filesystem: a subtree whose rename says EXDEV (a mount point in DEST) moves entry by entry', () => {
    const t = fresh();
    const ref = join(t, 'ref');
    for (let i = 0; i < 70; i++) {
      mkdirSync(join(ref, `d${i}`, 's', 'deep'), { recursive: true });
      writeFileSync(join(ref, `d${i}`, 's', 'g'), `g${i}`);
      writeFileSync(join(ref, `d${i}`, 's', 'deep', 'h'), `h${i}`.repeat(100));
    }
    const src = join(t, 'src');
    execFileSync('cp', ['-a', ref, src]);
    const dst = join(t, 'dst');
    // DEST/d5 is another filesystem: SRC/d5/s cannot be renamed into it
    mountTmpfs(join(dst, 'd5'), '16m');
    try {
      const r = mvtree(['--shard', '0/1', '--summary', src, dst]);
      expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/^mvtree: 69 renamed; 2 files .* 2 source entries removed; 0 kept, 0 errors/)]);
      const f = mvtree(['--finalize', '--shard-count', '1', src, dst]);
      expect([f.status, f.stderr]).toEqual([0, '']);
      expect(existsSync(src)).toBe(false);
      expect(manifest(dst)).toEqual(manifest(ref));
    } finally {
      umount(join(dst, 'd5'));
    }
  });

  it('-n keeps what DEST has (its source stays, and so do its directories); the rest moves', () => {
    const { src, list, dst } = setUp(work);
    mkdirSync(join(dst, 'd1'), { recursive: true });
    writeFileSync(join(dst, 'd1', 'f0'), 'theirs');
    const r = mvtree(['-n', '--summary', '-0', '--from-list', list, src, dst]);
    expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/ 1 kept, 0 errors/)]);
    expect(readFileSync(join(dst, 'd1', 'f0'), 'utf8')).toBe('theirs');
    expect(readFileSync(join(src, 'd1', 'f0'), 'utf8')).toBe('1 0\n');
    expect(readdirSync(src)).toEqual(['d1']);
    expect(readdirSync(join(src, 'd1'))).toEqual(['f0']);
    expect(readFileSync(join(dst, 'd2', 'f3'), 'utf8')).toBe('2 3\n'.repeat(901));
  });

  it('refuses what is not a move of entries below SRC: a path with .., --shard with --merge, --finalize before every shard is done', () => {
    const { src, list, dst, t } = setUp(work);
    const bad = join(t, 'bad.list');
    writeFileSync(bad, `${src}/d0/f0\n../outside\n`);
    writeFileSync(join(t, 'outside'), 'stays');
    const r = mvtree(['--from-list', bad, src, dst]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("mvtree: ../outside: a '.', '..' or empty component: no path below the root; skipped\n");
    expect(readFileSync(join(t, 'outside'), 'utf8')).toBe('stays');
    expect(existsSync(join(dst, 'd0', 'f0'))).toBe(true);

    const merge = mvtree(['--shard', '0/2', '--merge', src, dst]);
    expect([merge.status, merge.stderr]).toEqual([2, expect.stringMatching(/--shard moves entries below SRC into DEST, merging: not with --merge/)]);
    const three = mvtree(['--from-list', list, src, dst, join(t, 'x')]);
    expect([three.status, three.stderr]).toEqual([2, expect.stringMatching(/--from-list takes SRC and DEST/)]);
    const into = mvtree(['--from-list', list, src, join(src, 'd0')]);
    expect([into.status, into.stderr]).toEqual([2, expect.stringMatching(/is inside .*: refusing to move a tree into itself/)]);

    expect(mvtree(['--shard', '1/2', '-0', '--from-list', list, src, dst]).status).toBe(0);
    const early = mvtree(['--finalize', '--shard-count', '2', src, dst]);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/shard 0 of 2 has no done stamp/);
  });

  for (const walk of [false, true]) {
    it.skipIf(!isRoot)(`killed with SIGKILL across filesystems (${walk ? 'a walk\'s one shard' : 'a list'}): every file whole in SRC or DEST; the same command line finishes the move`, async () => {
      const t = fresh();
      const ref = join(t, 'ref');
      mkdirSync(ref);
      // 70 directories (a cut at depth 1 for one shard), a subdirectory in
      // each; enough data that the kills land while it copies and removes
      for (let i = 0; i < 70; i++) {
        mkdirSync(join(ref, `d${i}`, 's'), { recursive: true });
        if (i % 12 === 0) writeFileSync(join(ref, `d${i}`, 'big'), randomBytes(6 << 20));
        for (let f = 0; f < 4; f++) writeFileSync(join(ref, `d${i}`, `f${f}`), `${i} ${f}`);
        writeFileSync(join(ref, `d${i}`, 's', 'g'), `${i} g`);
      }
      const files = manifest(ref);
      const src = join(t, 'src');
      const dst = join(fresh(other), 'dst');
      const list = join(t, 'list');
      execFileSync('cp', ['-a', ref, src]);
      listOf(src, list);
      const args = ['-j', '2', ...(walk ? ['--shard', '0/1'] : ['-0', '--from-list', list]), src, dst];
      const finish = () => {
        if (!walk) return;
        const f = mvtree(['--finalize', '--shard-count', '1', src, dst]);
        expect([f.status, f.stderr]).toEqual([0, '']);
      };
      const reset = () => {
        execFileSync('rm', ['-rf', src, dst]);
        execFileSync('cp', ['-a', ref, src]);
        execFileSync('sh', ['-c', 'rm -f "$1"/.ioaio*', 'sh', join(dst, '..')]);
      };
      // how long one whole move takes here; then kills at moments over it
      // (each in its own fifth of the run: the copies, the syncs, the unlinks)
      const t0 = performance.now();
      expect(mvtree(args).status).toBe(0);
      const whole = performance.now() - t0;
      finish();
      const killed = await killAtMoments(args, {
        kills: 5,
        tries: 25,
        whole,
        reset,
        check: (ms) => {
          expect(checkWhole(files, src, dst), `after a kill at ${ms.toFixed(0)} of ${whole.toFixed(0)} ms`).toEqual([]);
          const r = mvtree(args);
          expect([r.status, r.stderr], `re-run after a kill at ${ms.toFixed(0)} ms`).toEqual([0, '']);
          finish();
          expect(existsSync(src)).toBe(false);
          expect(treeDiff(ref, dst)).toEqual([]);
          expect(tempsIn(dst)).toEqual([]);
          expect(ours(dst)).toEqual([]);
        },
      });
      expect(killed).toBe(5);
    }, 120_000);
  }
});
