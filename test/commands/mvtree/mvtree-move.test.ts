// mvtree moves like mv: one rename on a filesystem, and across filesystems
// an exact copy (checked by rsync against a reference copy) with the
// source gone afterwards; mv's target rules, -n, -u, --merge, --exclude,
// --dry-run, and the refusals that change nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rsyncDiff } from '../../helpers/cptree.js';
import { isRoot, moveWorkspace, MVTREE, mvtree } from '../../helpers/mvtree.js';
import { plainEnv } from '../../helpers/treescan.js';

/** A name that is not UTF-8. */
const BAD = Buffer.from([0x62, 0xff, 0x0a, 0x61]);

const { other, fresh } = moveWorkspace('ioaio-mvtree-');

/** A small tree of every kind: files, a hard link, a symlink, a fifo, an empty dir, a deep file, set times. */
function makeTree(root: string): void {
  mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'a'), 'alpha');
  writeFileSync(join(root, 'sub', 'deep', 'b'), 'beta'.repeat(1000));
  writeFileSync(join(root, 'new\nline'), 'n');
  linkSync(join(root, 'a'), join(root, 'sub', 'a-link'));
  symlinkSync('../a', join(root, 'sub', 'sym'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  utimesSync(join(root, 'a'), 1_000_000, 1_000_000);
}

describe('mvtree on one filesystem', () => {
  it('renames the tree (the same inode), into an existing directory as mv does', () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const ino = lstatSync(join(t, 'src')).ino;
    mkdirSync(join(t, 'dest'));
    const r = mvtree(['-v', join(t, 'src'), join(t, 'dest')]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`rename ${join(t, 'src')} -> ${join(t, 'dest', 'src')}\n`);
    expect(lstatSync(join(t, 'dest', 'src')).ino).toBe(ino);
    expect(existsSync(join(t, 'src'))).toBe(false);
  });

  it('-T makes DEST the target; -t DIR takes several SRCs', () => {
    const t = fresh();
    mkdirSync(join(t, 'a'));
    writeFileSync(join(t, 'b'), 'b');
    writeFileSync(join(t, 'c'), 'c');
    expect(mvtree(['-T', join(t, 'a'), join(t, 'x')]).status).toBe(0);
    expect(lstatSync(join(t, 'x')).isDirectory()).toBe(true);
    expect(mvtree(['-t', join(t, 'x'), join(t, 'b'), join(t, 'c')]).status).toBe(0);
    expect(readdirSync(join(t, 'x')).sort()).toEqual(['b', 'c']);
  });

  it('a non-empty target directory: exit 1 and nothing changed; --merge merges into it', () => {
    const t = fresh();
    mkdirSync(join(t, 'src', 'd'), { recursive: true });
    writeFileSync(join(t, 'src', 'd', 'new'), 'new');
    writeFileSync(join(t, 'src', 'both'), 'from src');
    mkdirSync(join(t, 'dst', 'src', 'd'), { recursive: true });
    writeFileSync(join(t, 'dst', 'src', 'd', 'old'), 'old');
    writeFileSync(join(t, 'dst', 'src', 'both'), 'from dst');
    const r = mvtree([join(t, 'src'), join(t, 'dst')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`mvtree: ${join(t, 'dst', 'src')}: directory not empty (--merge merges into it)\n`);
    expect(existsSync(join(t, 'src', 'd', 'new'))).toBe(true);
    const m = mvtree(['--merge', join(t, 'src'), join(t, 'dst')]);
    expect([m.status, m.stderr]).toEqual([0, '']);
    expect(readdirSync(join(t, 'dst', 'src', 'd')).sort()).toEqual(['new', 'old']);
    expect(readFileSync(join(t, 'dst', 'src', 'both'), 'utf8')).toBe('from src');
    expect(existsSync(join(t, 'src'))).toBe(false);
  });

  it('-n keeps what exists (its source stays); -u replaces only with newer', () => {
    const t = fresh();
    writeFileSync(join(t, 'f'), 'src');
    writeFileSync(join(t, 'g'), 'dst');
    expect(mvtree(['-n', join(t, 'f'), join(t, 'g')]).status).toBe(0);
    expect([readFileSync(join(t, 'f'), 'utf8'), readFileSync(join(t, 'g'), 'utf8')]).toEqual(['src', 'dst']);
    utimesSync(join(t, 'f'), 100, 100);
    expect(mvtree(['-u', join(t, 'f'), join(t, 'g')]).status).toBe(0);
    expect(readFileSync(join(t, 'g'), 'utf8')).toBe('dst'); // g is newer
    utimesSync(join(t, 'f'), 4e9, 4e9);
    expect(mvtree(['-u', join(t, 'f'), join(t, 'g')]).status).toBe(0);
    expect([existsSync(join(t, 'f')), readFileSync(join(t, 'g'), 'utf8')]).toEqual([false, 'src']);
  });

  it('refuses, exit 2, changing nothing: a missing SRC, a tree into itself, onto itself, several SRCs to a file', () => {
    const t = fresh();
    mkdirSync(join(t, 'd', 'in'), { recursive: true });
    writeFileSync(join(t, 'f'), 'f');
    const cases: [string[], RegExp][] = [
      [[join(t, 'missing'), join(t, 'x')], /missing: no such file or directory\n$/],
      [[join(t, 'd'), join(t, 'd', 'in')], /is inside .*: refusing to move a tree into itself\n$/],
      [['-T', join(t, 'd'), join(t, 'd')], /is the same as/],
      [[join(t, 'd'), join(t, 'f'), join(t, 'f')], /target is not a directory\n$/],
    ];
    for (const [args, re] of cases) {
      const r = mvtree(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.split('\n').length).toBe(2);
    }
    expect(readdirSync(t).sort()).toEqual(['d', 'f']);
    expect(readdirSync(join(t, 'd'))).toEqual(['in']);
  });
});

describe.skipIf(!isRoot)('mvtree across filesystems', () => {
  it('copies exactly (rsync -aHAX --checksum finds nothing), then the source is gone; no temporaries or marker left', () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    execFileSync('cp', ['-a', join(t, 'src'), join(t, 'ref')]);
    const dst = join(fresh(other), 'moved');
    const r = mvtree(['--summary', join(t, 'src'), dst]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^mvtree: 0 renamed; 3 files \(\d+ bytes\), 4 dirs, 1 symlinks, 1 others, 1 hard links copied, 0 up to date; 10 source entries removed; 0 kept, 0 errors; sync [\d.]+ s; [\d.]+ s, -j auto \d+->\d+ \(\d+\.\.\d+, \d+ changes?\)\n$/);
    expect(existsSync(join(t, 'src'))).toBe(false);
    expect(rsyncDiff(join(t, 'ref'), dst)).toBe('');
    expect(readdirSync(join(dst, '..')).filter((x) => x.startsWith('.ioaio'))).toEqual([]);
  });

  it('--exclude keeps matching entries (and their directories) in SRC', () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const dst = join(fresh(other), 'moved');
    const r = mvtree(['--exclude', 'deep', join(t, 'src'), dst]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readdirSync(join(t, 'src'))).toEqual(['sub']);
    expect(readdirSync(join(t, 'src', 'sub'))).toEqual(['deep']);
    expect(existsSync(join(dst, 'sub', 'deep'))).toBe(false);
    expect(readFileSync(join(dst, 'a'), 'utf8')).toBe('alpha');
  });

  it('--dry-run lists the copy and the removal, and changes nothing', () => {
    const t = fresh();
    makeTree(join(t, 'src'));
    const dst = join(fresh(other), 'moved');
    const r = mvtree(['--dry-run', join(t, 'src'), dst]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`copy ${dst}/sub/deep/b\n`);
    expect(r.stdout).toContain(`remove ${join(t, 'src')}/sub/deep/b\n`);
    expect(r.stdout).toContain(`rmdir ${join(t, 'src')}\n`);
    expect(existsSync(dst)).toBe(false);
    expect(existsSync(join(t, 'src', 'sub', 'deep', 'b'))).toBe(true);
  });

  it('--merge into an existing tree on the other filesystem, -n keeping what is there (and its source)', () => {
    const t = fresh();
    mkdirSync(join(t, 'src'));
    writeFileSync(join(t, 'src', 'new'), 'new');
    writeFileSync(join(t, 'src', 'both'), 'from src');
    const dst = join(fresh(other), 'src');
    mkdirSync(dst);
    writeFileSync(join(dst, 'both'), 'from dst');
    expect(mvtree(['-T', join(t, 'src'), dst]).status).toBe(1); // not empty, no --merge
    const r = mvtree(['-v', '--merge', '-n', '-T', join(t, 'src'), dst]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`keep ${dst}/both\n`);
    expect(readFileSync(join(dst, 'both'), 'utf8')).toBe('from dst');
    expect(readFileSync(join(dst, 'new'), 'utf8')).toBe('new');
    expect(readdirSync(join(t, 'src'))).toEqual(['both']);
  });

  it('--json: rename, copy, remove and rmdir events (a non-UTF-8 name as path_b64), the summary last', () => {
    const t = fresh();
    const src = join(t, 'src');
    mkdirSync(join(src, 'd'), { recursive: true });
    writeFileSync(join(src, 'd', 'f'), 'f');
    writeFileSync(Buffer.concat([Buffer.from(`${src}/`), BAD]), 'bad');
    const dst = join(fresh(other), 'moved');
    const r = mvtree(['--json', src, dst]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const key = (e: Record<string, unknown>) => `${e.event} ${e.type} ${(e.path as string | undefined) ?? Buffer.from(e.path_b64 as string, 'base64').toString('latin1')}`;
    const bad = BAD.toString('latin1');
    const keys = events.slice(0, -1).map(key);
    for (const k of [`mkdir dir ${dst}`, `mkdir dir ${dst}/d`, `copy file ${dst}/d/f`, `copy file ${dst}/${bad}`, `remove file ${src}/d/f`, `remove file ${src}/${bad}`, `rmdir dir ${src}/d`, `rmdir dir ${src}`]) expect(keys).toContain(k);
    // every copy before the first removal: nothing goes before its copy is durable
    const lastCopy = keys.reduce((last, k, i) => (k.startsWith('copy ') ? i : last), -1);
    expect(lastCopy).toBeLessThan(keys.findIndex((k) => k.startsWith('remove ')));
    expect(events.at(-1)).toMatchObject({ event: 'summary', renamed: 0, files: 2, dirs: 2, removed: 4, errors: 0, interrupted: false, dryRun: false });
  });

  it('takes SRC and DEST that are not UTF-8 as their exact bytes, on one filesystem and across', () => {
    const t = fresh();
    const name = (s: string) => Buffer.concat([Buffer.from(`${s}-`), BAD]);
    const at = (dir: string | Buffer, n: Buffer) => Buffer.concat([Buffer.from(dir), Buffer.from('/'), n]);
    mkdirSync(at(t, name('src')));
    writeFileSync(at(at(t, name('src')), Buffer.from('f')), 'f');
    // Node's argv is UTF-8 text: the bytes reach mvtree only through the shell.
    const esc = (b: Buffer) => [...b].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('');
    const viaShell = (from: string, to: string) =>
      spawnSync('bash', ['-c', `exec "$0" "$1" -T "$2/$(printf '%b' '${esc(name('src'))}')" "$3/$(printf '%b' '${esc(name('dst'))}')"`, process.execPath, MVTREE, from, to], { env: plainEnv(), timeout: 60_000 });
    const same = viaShell(t, t);
    expect([same.status, same.stderr.toString()]).toEqual([0, '']);
    expect(readFileSync(at(at(t, name('dst')), Buffer.from('f')), 'utf8')).toBe('f');
    const o = fresh(other);
    renameSync(at(t, name('dst')), at(t, name('src')));
    const across = viaShell(t, o);
    expect([across.status, across.stderr.toString()]).toEqual([0, '']);
    expect(readFileSync(at(at(o, name('dst')), Buffer.from('f')), 'utf8')).toBe('f');
    expect(readdirSync(t)).toEqual([]);
  });
});
