// rmtree removes what it is given, every kind of entry and name, and says
// what it did (-v, --json, --summary, -n) exactly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD, lines, listAll, makeOddTree, makeWide, rmtree } from '../../helpers/rmtree.js';

const work = mkdtempSync(join(tmpdir(), 'ioaio-rmtree-'));
// rm -rf, not rmSync: a failed test may leave a tree deeper than PATH_MAX behind
afterAll(() => void execFileSync('rm', ['-rf', work]));
const DEEP = `import os, sys
os.mkdir(sys.argv[1]); fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(int(sys.argv[3])):
    os.mkdir(sys.argv[2], dir_fd=fd); nfd = os.open(sys.argv[2], os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
    os.close(os.open('f', os.O_CREAT | os.O_WRONLY, dir_fd=fd))`;
let seq = 0;
const fresh = (name = 'tree') => join(work, `${name}-${++seq}`);

describe('rmtree removes', () => {
  it('a tree with every entry kind and odd names, never following its symlinks', () => {
    const outside = fresh('outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep-me'), 'target');
    const t = fresh();
    mkdirSync(t);
    makeOddTree(t, outside);
    const r = rmtree([t]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0); // quiet by default, like rm
    expect(existsSync(t)).toBe(false);
    expect(readFileSync(join(outside, 'keep-me'), 'utf8')).toBe('target');
  });

  it('-v names every entry once, as its path from PATH, each directory after what is below it', () => {
    const t = fresh();
    mkdirSync(t);
    makeOddTree(t, '/nonexistent');
    const all = listAll(t);
    const r = rmtree(['-v', `${t}/`]);
    expect(r.status).toBe(0);
    const got = lines(r.stdout);
    // a newline inside a name splits its line in two: look in the text as a whole
    const text = r.stdout.toString('latin1');
    for (const p of all) {
      const dir = p === t || ['sub', 'sub/deeper', `sub/${BAD.toString('latin1')}`].some((d) => p === `${t}/${d}`);
      expect(text).toContain(`${dir ? 'rmdir' : 'remove'} ${p}\n`);
    }
    expect(got.filter((l) => l.startsWith('remove ') || l.startsWith('rmdir ')).length).toBe(all.length);
    // in the order it happened, whichever threads did it: each directory after all that was below it
    for (const p of all) expect(text.indexOf(` ${p}\n`)).toBeLessThanOrEqual(text.indexOf(` ${p.slice(0, p.lastIndexOf('/'))}\n`) + (p === t ? Infinity : 0));
    const at = (p: string) => text.indexOf(` ${p}\n`);
    expect(at(`${t}/sub/deeper/f`)).toBeLessThan(at(`${t}/sub/deeper`));
    expect(at(`${t}/sub/deeper`)).toBeLessThan(at(`${t}/sub`));
    expect(text.endsWith(`rmdir ${t}\n`)).toBe(true);
    expect(existsSync(t)).toBe(false);
  });

  it('--json: an event per entry (non-UTF-8 names as path_b64) and the summary last', () => {
    const t = fresh();
    mkdirSync(join(t, 'd'), { recursive: true });
    writeFileSync(join(t, 'd', 'f'), 'x');
    symlinkSync('f', join(t, 'd', 'l'));
    writeFileSync(Buffer.concat([Buffer.from(`${t}/`), BAD]), 'b');
    const r = rmtree(['--json', t]);
    expect(r.status).toBe(0);
    const events = lines(r.stdout).map((l) => JSON.parse(l));
    const summary = events.pop();
    expect(summary).toMatchObject({ event: 'summary', files: 2, dirs: 2, symlinks: 1, others: 0, errors: 0, left: 0, interrupted: false, dryRun: false });
    expect(typeof summary.seconds).toBe('number');
    const key = (e: { event: string; type: string; path?: string; path_b64?: string }) => `${e.event} ${e.type} ${e.path ?? Buffer.from(e.path_b64!, 'base64').toString('latin1')}`;
    expect(events.map(key).sort()).toEqual(
      [`remove file ${t}/d/f`, `remove symlink ${t}/d/l`, `remove file ${t}/${BAD.toString('latin1')}`, `rmdir dir ${t}/d`, `rmdir dir ${t}`].sort(),
    );
    expect(events.find((e) => e.path_b64)).toBeDefined();
  });

  it('--summary counts by type on stderr', () => {
    const t = fresh();
    const n = makeWide(t, 3, 2, 2); // 13 dirs, 26 files
    expect(n).toBe(39);
    const r = rmtree(['--summary', t]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^rmtree: 26 files, 13 dirs, 0 symlinks, 0 others removed, 0 errors, 0 left, \d+\.\d{3} s, -j auto \d+->\d+ \(\d+\.\.\d+, \d+ changes?\)\n$/);
  });

  it('several PATHs, a file, and a symlink to a directory (removed as the link, also given as link/)', () => {
    const target = fresh('target');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'i');
    const a = fresh();
    makeWide(a, 2, 1, 1);
    const file = fresh('file');
    writeFileSync(file, 'f');
    const link = fresh('link');
    symlinkSync(target, link);
    const link2 = fresh('link');
    symlinkSync(target, link2);
    const r = rmtree([a, file, link, `${link2}/`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const p of [a, file, link, link2]) expect(existsSync(p)).toBe(false);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('i');
  });

  it('a tree deeper than PATH_MAX', () => {
    const t = fresh('deep');
    // 40 levels of 200-byte names: about 8 kB of path, each level made relative to the one above
    execFileSync('python3', ['-c', DEEP, t, 'n'.repeat(200), '40']);
    const r = rmtree(['--summary', t]);
    expect(r.stderr).toMatch(/^rmtree: 40 files, 41 dirs, 0 symlinks, 0 others removed, 0 errors, 0 left/);
    expect(r.status).toBe(0);
    expect(existsSync(t)).toBe(false);
  });
});

describe('rmtree -n and --exclude', () => {
  it('--dry-run lists exactly what -v would and removes nothing', () => {
    const t = fresh();
    makeWide(t, 2, 2, 2);
    const before = listAll(t).sort();
    const dry = rmtree(['-n', t]);
    expect(dry.status).toBe(0);
    expect(listAll(t).sort()).toEqual(before);
    const real = rmtree(['-v', t]);
    expect(real.status).toBe(0);
    expect(lines(dry.stdout).sort()).toEqual(lines(real.stdout).sort());
    expect(lines(dry.stdout).length).toBe(before.length);
  });

  it('--exclude keeps what matches (by name, by path, with **) and the directories above it, silently', () => {
    const t = fresh();
    mkdirSync(join(t, 'a', 'b', 'c'), { recursive: true });
    mkdirSync(join(t, 'x', 'y'), { recursive: true });
    mkdirSync(join(t, 'gone', 'deep'), { recursive: true });
    for (const f of ['a/keep.log', 'a/drop.txt', 'a/b/c/z.log', 'x/y/pinned', 'x/y/other', 'gone/deep/f', 'top.txt']) writeFileSync(join(t, f), f);
    const r = rmtree(['--exclude', '*.log', '--exclude', 'x/**/pinned', t]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(listAll(t).map((p) => p.slice(t.length)).sort()).toEqual(['', '/a', '/a/b', '/a/b/c', '/a/b/c/z.log', '/a/keep.log', '/x', '/x/y', '/x/y/pinned'].sort());
  });

  it('an excluded directory is kept whole', () => {
    const t = fresh();
    mkdirSync(join(t, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(t, 'node_modules', 'pkg', 'index.js'), '');
    writeFileSync(join(t, 'build.o'), '');
    const r = rmtree(['-v', '--exclude', 'node_modules', t]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual([`remove ${t}/build.o`]);
    expect(existsSync(join(t, 'node_modules', 'pkg', 'index.js'))).toBe(true);
  });
});
