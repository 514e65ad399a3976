// Every treescan option against find(1) (or the filesystem) on a real tree.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRichTree, NEWLINE, type RichTree } from '../../helpers/scan-tree.js';
import { canMountTmpfs, expectedSorted, mountTmpfs, sortImplemented } from '../../helpers/scan-expect.js';
import { removeTree } from '../../helpers/tree.js';
import { BIN, dirOrNot, ensureBuilt, findTypes, k, records, scanTypes, sorted, treescan, treescanAll, type TsResult } from '../../helpers/treescan.js';

// Decided when the tests are collected: skipIf needs it then.
ensureBuilt();
const sortWorks = sortImplemented();
const mountable = canMountTmpfs();

let t: RichTree;
let r: Record<string, TsResult>;
beforeAll(async () => {
  t = await makeRichTree();
  const R = t.root;
  r = await treescanAll({
    q: [['-q', '--summary', R]],
    d: [['-0', '-d', R]],
    f: [['-0', '-f', R]],
    s: [['-0', '-s', '--summary', R]],
    grep: [['-0', '-g', '\\.c$|new.line$|deeper/$', R]],
    j1: [['-0', '-j', '1', '--max-outstanding', '2', R]],
    depth0: [['-0', '--max-depth', '0', R]],
    depth1: [['-0', '--max-depth', '1', R]],
    depth3: [['-0', '--max-depth', '3', R]],
    follow: [['-0', '-L', R]],
    followX: [['-0', '--follow', '-x', '--max-depth', '2', R]],
    exName: [['-0', '--exclude', 'sub', '--exclude', '*.txt', R]],
    exPath: [['-0', '--exclude', 'sub/deeper', '--exclude', 'with space/[h]*', R]],
    sort: [['-0', '--sort', R]],
    sortFollow: [['-0', '--sort', '-L', R]],
  });
}, 60_000);
afterAll(() => removeTree(t.root));

const both = (res: TsResult) => sorted(scanTypes(res.stdout, 0));
const like = (expr: string[] = [], pre: string[] = []) => sorted(dirOrNot(findTypes(t.root, expr, pre).types));
const ok = (res: TsResult) => {
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
};

describe('treescan options', () => {
  it('-q prints no paths', () => {
    expect(r.q!.status).toBe(0);
    expect(r.q!.stdout.length).toBe(0);
    expect(r.q!.stderr).toMatch(/^treescan: \d+ dirs/);
  });

  it('-d lists only directories, -f only the rest', () => {
    ok(r.d!);
    ok(r.f!);
    expect(both(r.d!)).toEqual(like(['-type', 'd']));
    expect(both(r.f!)).toEqual(like(['!', '-type', 'd']));
    expect(r.f!.stdout.includes(Buffer.from(`${t.root}/fifo\0`))).toBe(true);
  });

  it('-s lists the same paths (it only adds stats)', () => {
    expect(r.s!.status).toBe(0);
    expect(both(r.s!)).toEqual(like());
  });

  it('--summary counts dirs, files, symlinks, others, errors, bytes with -s, and time', () => {
    const find = findTypes(t.root).types;
    const n = (y: string) => [...find.values()].filter((v) => v === y).length;
    const others = [...find.values()].filter((v) => !'dfl'.includes(v)).length;
    expect(others).toBe(2); // fifo and socket
    const bytes = [...find].filter(([, y]) => y === 'f').reduce((s, [p]) => s + lstatSync(Buffer.from(p, 'latin1')).size, 0);
    for (const [res, withBytes] of [[r.q!, false], [r.s!, true]] as const) {
      expect(res.status).toBe(0);
      const line = res.stderr.trim();
      expect(res.stderr.split('\n').length, res.stderr).toBe(2);
      expect(line).toMatch(new RegExp(`\\b${n('d')} dirs\\b`));
      expect(line).toMatch(new RegExp(`\\b${n('f')} files\\b`));
      expect(line).toMatch(new RegExp(`\\b${n('l')} symlinks\\b`));
      expect(line).toMatch(new RegExp(`\\b${others} others\\b`));
      expect(line).toMatch(/\b0 errors\b/);
      expect(line).toMatch(/\d+(\.\d+)? s, -j auto \d+->\d+ \(\d+\.\.\d+, \d+ changes?\)$/);
      if (withBytes) expect(line).toMatch(new RegExp(`\\b${bytes} bytes\\b`));
      else expect(line).not.toMatch(/bytes/);
    }
  });

  it('-g keeps paths matching a JS RegExp (dirs with their slash, . matches newline)', () => {
    ok(r.grep!);
    expect(both(r.grep!)).toEqual(like(['(', '-name', '*.c', '-o', '-name', NEWLINE, '-o', '-type', 'd', '-name', 'deeper', ')']));
    expect(scanTypes(r.grep!.stdout, 0).get(k(t.root, '/', NEWLINE))).toBe('-');
    expect(scanTypes(r.grep!.stdout, 0).get(k(t.root, '/sub/deeper'))).toBe('d');
  });

  it('-j N and --max-outstanding N change nothing in what is listed', () => {
    ok(r.j1!);
    expect(both(r.j1!)).toEqual(like());
  });

  it('--max-depth N is find -maxdepth N (0: only the roots)', () => {
    expect(records(r.depth0!.stdout, 0).map(String)).toEqual([`${t.root}/`]);
    expect(both(r.depth1!)).toEqual(like(['-maxdepth', '1']));
    expect(both(r.depth3!)).toEqual(like(['-maxdepth', '3']));
    expect(both(r.depth3!)).not.toEqual(like());
  });

  it('-L follows links like find -L; a loop is an error, the rest goes on', () => {
    const find = findTypes(t.root, [], ['-L']);
    expect(find.stderr).toMatch(/loop/);
    const got = scanTypes(r.follow!.stdout, 0);
    // find -L does not list a looping directory; treescan may (not entered).
    const loops = [k(t.root, '/loop/up'), k(t.root, '/loop/inner/back')];
    for (const l of loops) got.delete(l);
    expect(sorted(got)).toEqual(sorted(dirOrNot(find.types)));
    expect(got.get(k(t.root, '/link-to-dir'))).toBe('d');
    expect(got.get(k(t.root, '/link-to-dir/deeper/z.c'))).toBe('-');
    expect(got.get(k(t.root, '/dangling'))).toBe('-');
    expect(r.follow!.stderr).toContain(`treescan: ${t.root}/loop/up: filesystem loop detected\n`);
    expect(r.follow!.stderr).toContain(`treescan: ${t.root}/loop/inner/back: filesystem loop detected\n`);
    expect(r.follow!.stderr).toMatch(new RegExp(`^treescan: ${t.root}/self: .+$`, 'm'));
    expect(r.follow!.stderr.trim().split('\n')).toHaveLength(3);
    expect(r.follow!.status).toBe(1);
    const fx = findTypes(t.root, ['-maxdepth', '2', '-xdev'], ['-L']);
    const gotX = scanTypes(r.followX!.stdout, 0);
    gotX.delete(k(t.root, '/loop/up')); // at the depth limit: not entered, so no loop
    expect(sorted(gotX)).toEqual(sorted(dirOrNot(fx.types)));
    expect(fx.types.get(k(t.root, '/link-to-dir/deeper'))).toBe('d');
  });

  it('--exclude GLOB: a name, or with a / the path below the root; not descended; repeatable', () => {
    ok(r.exName!);
    expect(both(r.exName!)).toEqual(like(['(', '-name', 'sub', '-o', '-name', '*.txt', ')', '-prune', '-o']));
    expect(scanTypes(r.exName!.stdout, 0).has(k(t.root, '/link-to-dir'))).toBe(true);
    ok(r.exPath!);
    const pruned = ['(', '-path', `${t.root}/sub/deeper`, '-o', '-path', `${t.root}/with space/[h]*`, ')', '-prune', '-o'];
    expect(both(r.exPath!)).toEqual(like(pruned));
    expect(scanTypes(r.exPath!.stdout, 0).has(k(t.root, '/with space/hard a.c'))).toBe(false);
    expect(scanTypes(r.exPath!.stdout, 0).has(k(t.root, '/sub/a.c'))).toBe(true);
  });

  it.skipIf(!sortWorks)('--sort: depth first, each directory in byte order', () => {
    ok(r.sort!);
    const got = records(r.sort!.stdout, 0).map((b) => b.toString('latin1'));
    const want = expectedSorted(t.root);
    expect(got).toEqual(want);
  });

  it.skipIf(!sortWorks)('--sort -L: the same order, links followed, loops caught at once', () => {
    expect(r.sortFollow!.status).toBe(1);
    expect(records(r.sortFollow!.stdout, 0).map((b) => b.toString('latin1'))).toEqual(expectedSorted(t.root, true));
    // the same errors as without --sort
    expect(r.sortFollow!.stderr.split('\n').sort()).toEqual(r.follow!.stderr.split('\n').sort());
  });
});

describe('treescan --sync', () => {
  it('fsyncs every directory and regular file (not fifos, sockets, links) and lists as usual', () => {
    const trace = `${t.root}.strace`;
    const s = spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync', '-o', trace, process.execPath, BIN, '-0', '--sync', t.root], { timeout: 20_000 });
    expect(s.error).toBeUndefined();
    expect(s.status).toBe(0);
    expect(s.stderr.toString()).toBe('');
    expect(sorted(scanTypes(s.stdout, 0))).toEqual(like());
    // strace -y shows each fd's path, escaped (\n, octal bytes).
    const text = readFileSync(trace, 'latin1');
    rmSync(trace);
    const synced = [...text.matchAll(/fsync\(\d+<([^>]*)>/g)].map((m) => unescapeC(m[1]!)).filter((p) => p === t.root || p.startsWith(`${t.root}/`));
    const want = [...findTypes(t.root, ['(', '-type', 'd', '-o', '-type', 'f', ')']).types.keys()];
    expect(synced.sort()).toEqual(want.sort());
  });
});

/** C-style escapes (as strace prints them) back to bytes, as a latin1 string. */
function unescapeC(s: string): string {
  const named: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' };
  return s.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|(.))/g, (_, o?: string, x?: string, c?: string) =>
    o ? String.fromCharCode(parseInt(o, 8)) : x ? String.fromCharCode(parseInt(x, 16)) : (named[c!] ?? c!),
  );
}

describe('treescan -x', () => {
  it('-x -L does not descend into a link to another filesystem', () => {
    const link = join(t.root, 'other-fs');
    symlinkSync('/dev', link);
    try {
      expect(lstatSync('/dev').dev).not.toBe(lstatSync(t.root).dev);
      expect(readdirSync('/dev').length).toBeGreaterThan(0); // -L without -x would list these
      const x = treescan(['-0', '-L', '-x', '--max-depth', '2', t.root]);
      const m = scanTypes(x.stdout, 0);
      expect(m.get(k(link))).toBe('d');
      expect([...m.keys()].filter((p) => p.startsWith(`${link}/`))).toEqual([]);
      expect(m.get(k(t.root, '/link-to-dir/deeper'))).toBe('d'); // same filesystem: followed
    } finally {
      rmSync(link);
    }
  });

  it.skipIf(!mountable.ok)(`-x lists a mount point but not what is in it (${mountable.why})`, () => {
    const mnt = mountTmpfs();
    expect(mnt.ok).toBe(true);
    const dir = mnt.dir!;
    mkdirSync(join(dir, 'mnt/inner'), { recursive: true });
    writeFileSync(join(dir, 'mnt/inner/f'), '');
    writeFileSync(join(dir, 'here'), '');
    try {
      const x = treescan(['-0', '-x', dir]);
      ok(x);
      const fx = dirOrNot(findTypes(dir, ['-xdev']).types);
      expect(sorted(scanTypes(x.stdout, 0))).toEqual(sorted(fx));
      expect(fx.get(k(dir, '/mnt'))).toBe('d');
      expect(fx.has(k(dir, '/mnt/inner'))).toBe(false);
      expect(findTypes(dir).types.has(k(dir, '/mnt/inner/f'))).toBe(true);
    } finally {
      mnt.cleanup();
    }
  });
});
