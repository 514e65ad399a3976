// Each of cptree's options, on small real trees.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cptree, rsyncDiff, treeDiff } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { makeTree, removeTree } from '../../helpers/tree.js';

let base: string;
let src: string;
let n = 0;
const fresh = () => join(base, `d${n++}`);
const events = (out: Buffer) => out.toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(() => {
  base = fastTmp('ioaio-cpopt-');
  src = makeTree({ 'a.txt': 'aaaa', 'b.log': 'bbbb', keep: { 'c.txt': 'cc', 'd.log': 'dd' }, skipme: { deep: { x: 'x' } } }, fastTmp('ioaio-cpsrc-'));
  execFileSync('setfattr', ['-n', 'user.tag', '-v', 'v1', join(src, 'a.txt')]);
});
afterAll(() => {
  removeTree(base);
  removeTree(src);
});

describe('cptree options', () => {
  it('--exclude leaves out matching names (and what is below them) and matching paths', () => {
    const d = fresh();
    expect(cptree(['--exclude', '*.log', '--exclude', 'skipme', '--exclude', 'keep/c.txt', src, d]).status).toBe(0);
    expect(existsSync(join(d, 'a.txt'))).toBe(true);
    expect(existsSync(join(d, 'b.log'))).toBe(false);
    expect(existsSync(join(d, 'keep/d.log'))).toBe(false);
    expect(existsSync(join(d, 'keep/c.txt'))).toBe(false);
    expect(existsSync(join(d, 'skipme'))).toBe(false);
    expect(existsSync(join(d, 'keep'))).toBe(true);
  });

  it('-u skips what is up to date and copies what changed (size or mtime); --json shows which', () => {
    const d = fresh();
    expect(cptree([src, d]).status).toBe(0);
    writeFileSync(join(src, 'keep/c.txt'), 'changed');
    let r;
    try {
      r = cptree(['-u', '-T', '--json', src, d]);
    } finally {
      writeFileSync(join(src, 'keep/c.txt'), 'cc');
    }
    expect(r.status).toBe(0);
    const ev = events(r.stdout);
    const copied = ev.filter((e) => e.event === 'copy').map((e) => e.path);
    expect(copied).toEqual([join(d, 'keep/c.txt')]);
    expect(ev.filter((e) => e.event === 'skip' && e.type === 'file')).toHaveLength(4);
    expect(ev.at(-1)).toMatchObject({ event: 'summary', files: 1, skipped: 4, errors: 0 });
    expect(readFileSync(join(d, 'keep/c.txt'), 'utf8')).toBe('changed');
  });

  it('--checksum copies a file whose bytes changed though size and mtime did not (which -u misses)', () => {
    const d = fresh();
    expect(cptree([src, d]).status).toBe(0);
    const f = join(d, 'a.txt');
    writeFileSync(f, 'zzzz');
    execFileSync('touch', ['-r', join(src, 'a.txt'), f]); // the same mtime, to the nanosecond
    expect(cptree(['-u', '-T', src, d]).status).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('zzzz');
    const r = cptree(['--checksum', '-T', '--json', src, d]);
    expect(r.status).toBe(0);
    expect(events(r.stdout).filter((e) => e.event === 'copy').map((e) => e.path)).toEqual([f]);
    expect(readFileSync(f, 'utf8')).toBe('aaaa');
  });

  it('-n prints what would be done and writes nothing', () => {
    const d = fresh();
    const r = cptree(['-n', src, d]);
    expect(r.status).toBe(0);
    expect(existsSync(d)).toBe(false);
    const lines = r.stdout.toString().trim().split('\n').sort();
    expect(lines).toContain(`mkdir ${d}`);
    expect(lines).toContain(`copy ${join(d, 'keep/c.txt')}`);
    expect(lines).toContain(`mkdir ${join(d, 'skipme/deep')}`);
    expect(lines).toHaveLength(9);
    // after a real copy, a dry run with -u has nothing to do
    expect(cptree([src, d]).status).toBe(0);
    expect(cptree(['-n', '-u', '-T', src, d]).stdout.toString()).toBe('');
  });

  it('xattrs are copied by default and not with --no-xattrs', () => {
    const get = (p: string) => spawnSync('getfattr', ['--only-values', '-n', 'user.tag', p]).stdout.toString();
    const d1 = fresh();
    expect(cptree(['-X', src, d1]).status).toBe(0);
    expect(get(join(d1, 'a.txt'))).toBe('v1');
    const d2 = fresh();
    expect(cptree(['--no-xattrs', src, d2]).status).toBe(0);
    expect(get(join(d2, 'a.txt'))).toBe('');
    expect(existsSync(join(d2, 'a.txt'))).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)('as root, the trusted.* and security.* xattrs of symlinks, fifos and devices are copied (lgetxattr/lsetxattr)', () => {
    const t = makeTree({ f: 'f', l: { symlink: 'f' } }, fresh());
    execFileSync('mkfifo', [join(t, 'p')]);
    execFileSync('mknod', [join(t, 'c'), 'c', '1', '3']);
    for (const e of ['l', 'p', 'c']) execFileSync('setfattr', ['-h', '-n', 'trusted.ioaio', '-v', `v-${e}`, join(t, e)]);
    execFileSync('setfattr', ['-h', '-n', 'security.ioaio', '-v', 'sec', join(t, 'l')]);
    const get = (p: string, name: string) => spawnSync('getfattr', ['-h', '--only-values', '-n', name, p]).stdout.toString();
    const d = fresh();
    expect(cptree(['-T', t, d]).status).toBe(0);
    for (const e of ['l', 'p', 'c']) expect(get(join(d, e), 'trusted.ioaio')).toBe(`v-${e}`);
    expect(get(join(d, 'l'), 'security.ioaio')).toBe('sec');
    expect(rsyncDiff(t, d)).toBe('');
    const d2 = fresh();
    expect(cptree(['--no-xattrs', '-T', t, d2]).status).toBe(0);
    expect(get(join(d2, 'l'), 'trusted.ioaio')).toBe('');
  });

  it('--reflink=always fails where the filesystem cannot clone (tmpfs), --reflink=never copies', () => {
    const d1 = fresh();
    const r = cptree(['--reflink=always', src, d1]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cptree: ${join(d1, 'a.txt')}: cannot share blocks with the source here (--reflink=always)\n`);
    expect(existsSync(join(d1, 'a.txt'))).toBe(false);
    const d2 = fresh();
    expect(cptree(['--reflink=never', src, d2]).status).toBe(0);
    expect(rsyncDiff(src, d2)).toBe('');
  });

  it('--fsync syncs every file and directory it writes (strace counts the fsyncs)', () => {
    const d = fresh();
    const r = spawnSync('strace', ['-f', '-c', '-e', 'trace=fsync', process.execPath, join(import.meta.dirname, '../../../bin/cptree'), '--fsync', src, d]);
    expect(r.status).toBe(0);
    const m = /(\d+)\s+(?:\d+\s+)?fsync/.exec(r.stderr.toString());
    // 5 files and 4 directories, each fsynced, plus a directory fsync per file
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(14);
    expect(rsyncDiff(src, d)).toBe('');
  });

  it('-j 1 and --max-outstanding 1 copy the same tree; --summary reports it', () => {
    const d = fresh();
    const r = cptree(['-j', '1', '--max-outstanding', '1', '--summary', src, d]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^cptree: 5 files \(13 bytes\), 4 dirs, 0 symlinks, 0 others, 0 hard links, 0 up to date, 0 errors, [\d.]+ s, -j 1\n$/);
    expect(treeDiff(src, d)).toEqual([]);
  });

  it('-v lists each entry as it is done', () => {
    const d = fresh();
    const r = cptree(['-v', src, d]);
    expect(r.stdout.toString().trim().split('\n').sort()).toEqual(
      [`mkdir ${d}`, `copy ${d}/a.txt`, `copy ${d}/b.log`, `mkdir ${d}/keep`, `copy ${d}/keep/c.txt`, `copy ${d}/keep/d.log`, `mkdir ${d}/skipme`, `mkdir ${d}/skipme/deep`, `copy ${d}/skipme/deep/x`].sort(),
    );
  });

  it('bad option values are usage errors (exit 2)', () => {
    for (const args of [['--reflink=sometimes', src, 'x'], ['-j', '0', src, 'x'], [src], ['-u', '--checksum', src, 'x']]) {
      const r = cptree(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^cptree: .*\nTry 'cptree --help'.\n$/);
    }
  });

  it('-x: a mount point below SRC is made as an empty directory, its contents left out', () => {
    if (process.getuid?.() !== 0) return;
    const root = makeTree({ top: 't', mnt: {} }, fastTmp('ioaio-cpx-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(root, 'mnt')]);
    try {
      writeFileSync(join(root, 'mnt/inside'), 'i');
      const d1 = fresh();
      expect(cptree(['-x', root, d1]).status).toBe(0);
      expect(existsSync(join(d1, 'mnt'))).toBe(true);
      expect(existsSync(join(d1, 'mnt/inside'))).toBe(false);
      const d2 = fresh();
      expect(cptree([root, d2]).status).toBe(0);
      expect(readFileSync(join(d2, 'mnt/inside'), 'utf8')).toBe('i');
    } finally {
      execFileSync('umount', [join(root, 'mnt')]);
      removeTree(root);
    }
  });

  it('mkdir of the destination tree is not needed beforehand, and an existing empty DST directory works with -T', () => {
    const d = fresh();
    mkdirSync(d);
    expect(cptree(['-T', src, d]).status).toBe(0);
    expect(treeDiff(src, d)).toEqual([]);
  });
});
