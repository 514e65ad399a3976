// treescan's plain and -0 output against find(1) on real trees: the same
// paths, directories with a trailing '/', names byte-exact.
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_DIR, BAD_FILE, DEPTH, fastTmp, LONG, LONG_UTF8, makeRichTree, makeWideTree, NEWLINE, type RichTree } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { BIN, dirOrNot, ensureBuilt, findTypes, k, records, scanTypes, sorted, treescanAll, type TsResult } from '../../helpers/treescan.js';

let t: RichTree;
let big: string;
let r: Record<'zero' | 'plain' | 'byName' | 'bySlash' | 'dot' | 'several' | 'big', TsResult>;
beforeAll(async () => {
  ensureBuilt();
  t = await makeRichTree();
  big = fastTmp('ioaio-ts-out-');
  makeWideTree(big, 100, 20, 5, 40);
  const parent = dirname(t.root);
  r = await treescanAll({
    zero: [['-0', t.root]],
    plain: [[t.root]],
    byName: [['-0', basename(t.root)], { cwd: parent }],
    bySlash: [['-0', `${basename(t.root)}/`], { cwd: parent }],
    dot: [['-0'], { cwd: t.root }],
    several: [[...['sub', 'with space', 'file.txt', 'link-to-dir', 'empty-dir'].map((p) => join(t.root, p))]],
    big: [['-j', '8', big]],
  });
});
afterAll(() => {
  removeTree(t.root);
  removeTree(big);
  removeTree(`${big}.stderr`);
});

const cmpBuf = (a: Buffer, b: Buffer) => Buffer.compare(a, b);

describe('treescan output vs find', () => {
  it('-0 lists the same paths as find, directories (only) with a trailing slash', () => {
    expect(r.zero.stderr).toBe('');
    expect(r.zero.status).toBe(0);
    const want = findTypes(t.root);
    expect(want.status).toBe(0);
    expect(want.types.size).toBeGreaterThan(DEPTH + 20);
    // lstat semantics: links (to dirs, dangling, loops) are not directories.
    expect(want.types.get(k(t.root, '/link-to-dir'))).toBe('l');
    expect(sorted(scanTypes(r.zero.stdout, 0))).toEqual(sorted(dirOrNot(want.types)));
  });

  it('-0 round-trips every name byte-exact', () => {
    const got = records(r.zero.stdout, 0).sort(cmpBuf);
    const find = findTypes(t.root).types;
    const want = [...find].map(([p, y]) => Buffer.from(p + (y === 'd' ? '/' : ''), 'latin1')).sort(cmpBuf);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(g.equals(want[i]!), `${g.toString('latin1')} vs ${want[i]!.toString('latin1')}`).toBe(true));
    const b = (s: string) => Buffer.from(s);
    const badPath = Buffer.concat([b(t.root + '/'), BAD_DIR, b('/'), BAD_FILE]);
    expect(got.some((g) => g.equals(badPath))).toBe(true);
    // the names can be used as they come out
    for (const g of got) lstatSync(g.length > 1 && g[g.length - 1] === 0x2f ? g.subarray(0, -1) : g);
  });

  it('plain output holds the same records as -0, one per line', () => {
    const zero = records(r.zero.stdout, 0).map((x) => x.toString('latin1'));
    expect(r.plain.status).toBe(0);
    let rest = r.plain.stdout.toString('latin1');
    expect(rest.length).toBe(zero.reduce((n, z) => n + z.length + 1, 0));
    // Remove each record as a whole line; names with newlines make a plain split ambiguous.
    for (const z of zero.sort((a, b) => b.length - a.length)) {
      let i = -1;
      do i = rest.indexOf(z + '\n', i + 1);
      while (i > 0 && rest[i - 1] !== '\n');
      expect(i, `line ${JSON.stringify(z)}`).toBeGreaterThanOrEqual(0);
      rest = rest.slice(0, i) + rest.slice(i + z.length + 1);
    }
    expect(rest).toBe('');
  });

  it('prints newlines, spaces and non-UTF-8 bytes in names as they are', () => {
    const out = r.plain.stdout;
    const b = (s: string) => Buffer.from(s);
    for (const line of [
      Buffer.concat([b(`${t.root}/${NEWLINE}\n`)]),
      b(`${t.root}/nl dir/x\ny/\n`),
      b(`${t.root}/with space/ lead and trail \n`),
      Buffer.concat([b(`${t.root}/`), BAD_FILE, b('\n')]),
      Buffer.concat([b(`${t.root}/`), BAD_DIR, b('/\n')]),
      Buffer.concat([b(`${t.root}/`), BAD_DIR, b('/'), BAD_FILE, b('\n')]),
    ]) {
      expect(out.includes(line), JSON.stringify(line.toString('latin1'))).toBe(true);
    }
  });

  it('takes a start path that is not UTF-8 as its exact bytes', () => {
    // Node's argv is UTF-8 text: the bytes reach treescan only through the shell.
    const esc = (b: Buffer) => [...b].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('');
    const sh = spawnSync('bash', ['-c', `exec "$0" "$1/$(printf '%b' '${esc(BAD_DIR)}')"`, BIN, t.root], { timeout: 20_000 });
    expect(sh.status, sh.stderr.toString()).toBe(0);
    const dir = Buffer.concat([Buffer.from(`${t.root}/`), BAD_DIR]);
    const lines = (b: Buffer) => b.toString('latin1').split('\n').filter(Boolean).sort();
    const want = [Buffer.concat([dir, Buffer.from('/')]), Buffer.concat([dir, Buffer.from('/'), BAD_FILE]), Buffer.concat([dir, Buffer.from('/link')])];
    expect(lines(sh.stdout)).toEqual(want.map((w) => w.toString('latin1')).sort());
  });

  it('lists 255-byte names and a 100-level chain', () => {
    expect(Buffer.byteLength(LONG_UTF8)).toBe(255);
    const m = scanTypes(r.zero.stdout, 0);
    expect(m.get(k(t.root, '/', LONG))).toBe('-');
    expect(m.get(k(t.root, '/', LONG_UTF8))).toBe('d');
    expect(m.get(k(t.root, '/', LONG_UTF8, '/', LONG))).toBe('-');
    let p = join(t.root, 'deep');
    for (let i = 0; i < DEPTH; i++) {
      p = join(p, 'd');
      expect(m.get(k(p)), p).toBe('d');
    }
    expect(p).toBe(t.deepest);
    expect(m.get(k(t.deepest, '/bottom'))).toBe('-');
  });

  it('lists paths longer than PATH_MAX (each directory is opened relative to its parent)', () => {
    // 30 levels of 200-byte names: the deepest path is over 6,000 bytes; the
    // chain is built with mkdir -p from inside, as no single path may be that long.
    const root = fastTmp('ioaio-long-');
    const n = 'd'.repeat(200);
    const mk = spawnSync('bash', ['-c', `cd "$0" && for i in $(seq 30); do mkdir ${n} && cd ${n} || exit 1; done && : > leaf`, root]);
    expect(mk.status, mk.stderr.toString()).toBe(0);
    try {
      const res = spawnSync(BIN, [root], { timeout: 20_000, maxBuffer: 1 << 24 });
      expect(res.status, res.stderr.toString()).toBe(0);
      const lines = res.stdout.toString().split('\n').filter(Boolean);
      expect(lines.length).toBe(32);
      expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(6000);
      expect(lines.some((l) => l.endsWith(`/${n}/leaf`))).toBe(true);
    } finally {
      spawnSync('rm', ['-rf', root]);
    }
  });

  it('prints the root first, with its slash, as given', () => {
    const name = basename(t.root);
    for (const run of [r.byName, r.bySlash]) {
      expect(run.status).toBe(0);
      const recs = records(run.stdout, 0).map((x) => x.toString('latin1'));
      expect(recs[0]).toBe(`${name}/`);
      expect(recs).toContain(`${name}/sub/deeper/z.c`);
      expect(recs.filter((x) => x.includes('//'))).toEqual([]);
      expect(recs.every((x) => x.startsWith(`${name}/`))).toBe(true);
    }
  });

  it('scans . when no PATH is given', () => {
    expect(r.dot.status).toBe(0);
    expect(records(r.dot.stdout, 0)[0]!.toString()).toBe('./');
    expect(sorted(scanTypes(r.dot.stdout, 0))).toEqual(sorted(dirOrNot(findTypes('.', [], [], t.root).types)));
  });

  it('lists every root of several; a file or symlink given as PATH is printed as it is', () => {
    expect(r.several.stderr).toBe('');
    expect(r.several.status).toBe(0);
    const want = new Map([...dirOrNot(findTypes(join(t.root, 'sub')).types), ...dirOrNot(findTypes(join(t.root, 'with space')).types)]);
    want.set(k(t.root, '/file.txt'), '-').set(k(t.root, '/link-to-dir'), '-').set(k(t.root, '/empty-dir'), 'd');
    expect(sorted(scanTypes(r.several.stdout))).toEqual(sorted(want));
  });

  it('lists both names of hard-linked files', () => {
    const m = scanTypes(r.zero.stdout, 0);
    expect(m.get(k(t.root, '/file.txt'))).toBe('-');
    expect(m.get(k(t.root, '/hard-link.txt'))).toBe('-');
    expect(m.get(k(t.root, '/with space/hard a.c'))).toBe('-');
    expect(lstatSync(join(t.root, 'hard-link.txt')).nlink).toBe(2);
  });
});

describe('treescan output on a big tree', () => {
  it('whole lines only, each path once, as find lists them (8 threads)', () => {
    expect(r.big.status).toBe(0);
    const m = scanTypes(r.big.stdout); // throws on a partial or doubled line
    expect(m.size).toBe(1 + 100 + 2000 + 10_000);
    expect(sorted(m)).toEqual(sorted(dirOrNot(findTypes(big).types)));
  });

  it('`treescan DIR | head -1` ends quietly with status 0', () => {
    const sh = spawnSync('bash', ['-c', '"$0" "$1" 2>"$2" | head -1; echo "status=${PIPESTATUS[0]}"', BIN, big, `${big}.stderr`], { timeout: 20_000 });
    const out = sh.stdout.toString();
    expect(out).toBe(`${big}/\nstatus=0\n`);
    const err = spawnSync('cat', [`${big}.stderr`]).stdout.toString();
    expect(err).toBe('');
  });

  it('`treescan --help | true` ends quietly too (help is written before any scan; the reader is gone first)', () => {
    const sh = spawnSync('bash', ['-c', '"$0" --help 2>"$1" | true; echo "status=${PIPESTATUS[0]}"', BIN, `${big}.help-stderr`], { timeout: 20_000 });
    expect(sh.stdout.toString()).toBe('status=0\n');
    expect(spawnSync('cat', [`${big}.help-stderr`]).stdout.toString()).toBe('');
  });
});
