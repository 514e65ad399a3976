// treescan --json: one object per entry (NDJSON) with path and type, the
// stat fields with -s, and "path_b64" for a path that is not UTF-8.
import { isUtf8 } from 'node:buffer';
import { lstatSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_DIR, BAD_FILE, makeRichTree, NEWLINE, type RichTree } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { ensureBuilt, findTypes, k, sorted, treescanAll, type TsResult } from '../../helpers/treescan.js';

const TYPES: Record<string, string> = { file: 'f', dir: 'd', symlink: 'l', fifo: 'p', socket: 's', char: 'c', block: 'b' };

let t: RichTree;
let r: Record<'plain' | 'stat' | 'dirs' | 'filter' | 'follow', TsResult>;
beforeAll(async () => {
  ensureBuilt();
  t = await makeRichTree(false);
  const R = t.root;
  r = await treescanAll({
    plain: [['--json', R]],
    stat: [['--json', '-s', R]],
    dirs: [['--json', '-d', R]],
    filter: [['--json', '-f', '-g', '\\.c$|txt$', '--max-depth', '2', R]],
    follow: [['--json', '-L', R]],
  });
}, 60_000);
afterAll(() => removeTree(t.root));

type Obj = Record<string, unknown>;

/** Parses NDJSON; every line must be one JSON object. */
function parse(res: TsResult): Obj[] {
  const text = res.stdout.toString();
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const o = JSON.parse(line) as Obj;
      expect(typeof o).toBe('object');
      return o;
    });
}

/** The path's bytes, from "path" or "path_b64" (never both). */
function bytesOf(o: Obj): Buffer {
  expect('path' in o !== 'path_b64' in o, JSON.stringify(o)).toBe(true);
  return 'path' in o ? Buffer.from(o.path as string) : Buffer.from(o.path_b64 as string, 'base64');
}

/** latin1 path -> find-style type letter. */
function asTypes(objs: Obj[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of objs) {
    const key = bytesOf(o).toString('latin1');
    expect(m.has(key), `${key} twice`).toBe(false);
    m.set(key, TYPES[o.type as string] ?? `?${String(o.type)}`);
  }
  return m;
}

describe('treescan --json', () => {
  it('lists the paths (no trailing slash) with the same types as find', () => {
    expect(r.plain.status).toBe(0);
    expect(r.plain.stderr).toBe('');
    const objs = parse(r.plain);
    expect(sorted(asTypes(objs))).toEqual(sorted(findTypes(t.root).types));
    for (const o of objs) expect(Object.keys(o).sort()).toEqual(['path' in o ? 'path' : 'path_b64', 'type'].sort());
  });

  it('gives a non-UTF-8 path as path_b64 (exact bytes), a UTF-8 one as path', () => {
    const objs = parse(r.plain);
    const b = (s: string) => Buffer.from(s);
    const want = [Buffer.concat([b(`${t.root}/`), BAD_FILE]), Buffer.concat([b(`${t.root}/`), BAD_DIR]), Buffer.concat([b(`${t.root}/`), BAD_DIR, b('/'), BAD_FILE]), Buffer.concat([b(`${t.root}/`), BAD_DIR, b('/link')])];
    const b64 = objs.filter((o) => 'path_b64' in o).map(bytesOf);
    expect(b64.map((x) => x.toString('latin1')).sort()).toEqual(want.map((x) => x.toString('latin1')).sort());
    for (const o of objs.filter((x) => 'path' in x)) expect(isUtf8(Buffer.from(o.path as string))).toBe(true);
    expect(objs.find((o) => o.path === `${t.root}/${NEWLINE}`)?.type).toBe('file');
    expect(objs.find((o) => o.path === `${t.root}/nl dir/x\ny`)?.type).toBe('dir');
  });

  it('-s adds the stat fields, as lstat sees them', () => {
    expect(r.stat.status).toBe(0);
    const objs = parse(r.stat);
    expect(objs.length).toBe(findTypes(t.root).types.size);
    for (const o of objs) {
      const p = bytesOf(o);
      const st = lstatSync(p, { bigint: true });
      const want = {
        dev: Number(st.dev), ino: Number(st.ino), mode: Number(st.mode), nlink: Number(st.nlink), uid: Number(st.uid), gid: Number(st.gid),
        rdev: Number(st.rdev), size: Number(st.size), blocks: Number(st.blocks), blksize: Number(st.blksize),
        mtime_sec: Number(st.mtimeNs / 1_000_000_000n), mtime_nsec: Number(st.mtimeNs % 1_000_000_000n),
        ctime_sec: Number(st.ctimeNs / 1_000_000_000n), ctime_nsec: Number(st.ctimeNs % 1_000_000_000n),
      };
      const got = Object.fromEntries(Object.keys(want).map((f) => [f, o[f]]));
      expect(got, p.toString('latin1')).toEqual(want);
      expect(typeof o.atime_sec).toBe('number');
      expect(typeof o.atime_nsec).toBe('number');
    }
  });

  it('-s shows hard links as one inode with nlink 2', () => {
    const objs = parse(r.stat);
    const by = (p: string) => objs.find((o) => o.path === `${t.root}/${p}`)!;
    expect(by('hard-link.txt').ino).toBe(by('file.txt').ino);
    expect(by('hard-link.txt').nlink).toBe(2);
    expect(by('with space/hard a.c').ino).toBe(by('sub/a.c').ino);
    expect(by('file.txt').size).toBe(6);
    expect(by('link-to-file').type).toBe('symlink');
    expect(by('link-to-file').size).toBe('file.txt'.length);
  });

  it('-d, -f, -g and --max-depth filter the objects', () => {
    const find = (expr: string[]) => sorted(findTypes(t.root, expr).types);
    expect(sorted(asTypes(parse(r.dirs)))).toEqual(find(['-type', 'd']));
    const filtered = find(['-maxdepth', '2', '!', '-type', 'd', '(', '-name', '*.c', '-o', '-name', '*txt', ')']);
    expect(filtered.length).toBeGreaterThan(3);
    expect(sorted(asTypes(parse(r.filter)))).toEqual(filtered);
  });

  it('-L gives the types of the targets (a dangling link stays a symlink)', () => {
    expect(r.follow.status).toBe(0);
    const m = asTypes(parse(r.follow));
    expect(sorted(m)).toEqual(sorted(findTypes(t.root, [], ['-L']).types));
    expect(m.get(k(t.root, '/link-to-dir'))).toBe('d');
    expect(m.get(k(t.root, '/link-to-file'))).toBe('f');
    expect(m.get(k(t.root, '/dangling'))).toBe('l');
  });
});
