// aio.rmtree: the removal engine as a library call (docs/rmtree.md): counts,
// failures as data, events, dry runs, globs, wd paths, cancellation.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aio, rmGlobMatch, type IoaioError, type RmtreeCounts } from '../../src/aio/index.js';
import { globToRegExp } from '../../src/walk/glob.js';
import { makeWide } from '../helpers/rmtree.js';
import { rejectsWith } from '../helpers/req.js';
import { fastTmp } from '../helpers/scan-tree.js';

const work = fastTmp('ioaio-aio-rmtree-');
afterAll(() => void execFileSync('rm', ['-rf', work]));
let seq = 0;
const fresh = () => join(work, `t${++seq}`);

describe('aio.rmtree', () => {
  it('removes a tree and counts what went, by type', async () => {
    const t = fresh();
    makeWide(t, 3, 2, 2);
    symlinkSync('f0', join(t, 'link'));
    execFileSync('mkfifo', [join(t, 'd0', 'fifo')]);
    const r = await aio.rmtree(t, { jobs: 2 });
    expect(r).toMatchObject({ files: 26, dirs: 13, symlinks: 1, others: 1, errors: 0, left: 0, kept: 0, failed: [], leftPaths: [] });
    expect(existsSync(t)).toBe(false);
  });

  it('a missing root rejects ENOENT (as IO::AIO), unless force', async () => {
    const p = join(work, 'missing');
    await rejectsWith(aio.rmtree(p), { code: 'ENOENT', path: p });
    expect((await aio.rmtree(p, { force: true })).dirs).toBe(0);
  });

  it('onEntry gives every entry, each directory after its contents; dryRun removes nothing', async () => {
    const t = fresh();
    makeWide(t, 2, 2, 1);
    const seen: string[] = [];
    const dry = await aio.rmtree(t, { dryRun: true, onEntry: (action, type, path) => seen.push(`${action} ${type} ${path.toString()}`) });
    expect(readdirSync(t).length).toBe(3);
    expect(dry.files + dry.dirs).toBe(14);
    expect(seen.length).toBe(14);
    expect(seen.at(-1)).toBe(`rmdir dir ${t}`);
    expect(seen.indexOf(`remove file ${t}/d1/d0/f0`)).toBeLessThan(seen.indexOf(`rmdir dir ${t}/d1/d0`));
    const real: string[] = [];
    await aio.rmtree(t, { onEntry: (action, type, path) => real.push(`${action} ${type} ${path.toString()}`) });
    expect(real.sort()).toEqual(seen.sort());
    expect(existsSync(t)).toBe(false);
  });

  it('exclude keeps matches and their directories; counted as kept', async () => {
    const t = fresh();
    makeWide(t, 2, 1, 2);
    const r = await aio.rmtree(t, { exclude: ['d1/f1'] });
    expect(r.kept).toBe(1);
    expect(existsSync(join(t, 'd1', 'f1'))).toBe(true);
    expect(existsSync(join(t, 'd1', 'f0'))).toBe(false);
    expect(existsSync(join(t, 'd0'))).toBe(false);
  });

  it('takes a [wd, name] root and names paths from the wd', async () => {
    const t = fresh();
    mkdirSync(t);
    makeWide(join(t, 'sub'), 1, 1, 1);
    const wd = await aio.wd(t);
    try {
      const paths: string[] = [];
      const r = await aio.rmtree([wd, 'sub'], { onEntry: (_a, _t, p) => paths.push(p.toString()) });
      expect(r.dirs).toBe(2);
      expect(paths).toContain(`${wd.path}/sub/d0/f0`);
      expect(existsSync(join(t, 'sub'))).toBe(false);
    } finally {
      await wd.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('a failure is data: in failed, given to onError, the rest removed', async () => {
    const t = fresh();
    makeWide(t, 2, 1, 1);
    // an immutable file cannot be unlinked, even by root (where the filesystem has the flag)
    const stuck = join(t, 'd0', 'f0');
    if (spawnChattr(['+i', stuck]) !== 0) return;
    try {
      const errs: [string, string][] = [];
      const r = await aio.rmtree(t, { onError: (e: IoaioError, p: Buffer) => errs.push([e.code, p.toString()]) });
      expect(errs).toEqual([['EPERM', stuck]]);
      expect(r.errors).toBe(1);
      expect(r.failed.map((e) => [e.code, e.syscall, e.path])).toEqual([['EPERM', 'unlink', stuck]]);
      expect(readdirSync(t)).toEqual(['d0']); // d1 and the root's file went; d0 and the root stay, silently
    } finally {
      spawnChattr(['-i', stuck]);
    }
  });

  it('cancellation: aborting stops it with ECANCELED, part of the tree left; a second call finishes', async () => {
    const t = fresh();
    makeWide(t, 6, 4, 3);
    const ac = new AbortController();
    let progress: RmtreeCounts | undefined;
    const p = aio.rmtree(t, { jobs: 1, signal: ac.signal, onProgress: (c) => (progress = { ...c }) });
    // as soon as the root's own files are gone, the removal has started
    while (existsSync(join(t, 'f0'))) await new Promise((r) => setImmediate(r));
    ac.abort();
    await rejectsWith(p, { code: 'ECANCELED' });
    expect(existsSync(t)).toBe(true);
    expect(progress === undefined || progress.files < 5000).toBe(true);
    const rest = await aio.rmtree(t);
    expect(rest.errors).toBe(0);
    expect(existsSync(t)).toBe(false);
  });

  it('the callback form returns a Group', async () => {
    const t = fresh();
    makeWide(t, 1, 1, 1);
    const r = await new Promise<RmtreeCounts>((resolve, reject) => {
      const g = aio.rmtree(t, { jobs: 2 }, (err, v) => (err ? reject(err) : resolve(v!)));
      expect(g.constructor.name).toBe('Group');
    });
    expect(r.dirs).toBe(2);
  });

  it('bad arguments throw at once', () => {
    expect(() => aio.rmtree(42 as never)).toThrow(TypeError);
    expect(() => aio.rmtree('x', { jobs: 0 })).toThrow(TypeError);
    expect(() => aio.rmtree('x', { exclude: [''] })).toThrow(TypeError);
    expect(() => aio.rmtree('x', { onEntry: 'no' as never })).toThrow(TypeError);
  });
});

function spawnChattr(args: string[]): number {
  try {
    execFileSync('chattr', args, { stdio: 'ignore' });
    return 0;
  } catch {
    return 1;
  }
}

describe("the engine's glob matcher", () => {
  // the same rules as src/walk/glob.ts, which cptree and treescan use
  const patterns = ['*.log', 'a?c', '**', '**/x', 'a/**/b', 'a/*/b', '[abc]*', '[a-c]x', '[!a]*', '[^a]*', '[unclosed', 'a[]', '*', '?', 'x**y', 'lit.txt', 'a\\b'];
  const names = ['a.log', 'abc', 'a/b', 'a/x/b', 'a/x/y/b', 'x', 'q/x', 'bx', 'cx', 'dx', '[unclosed', 'a[]', '', 'lit.txt', 'litxtxt', 'a\\b', 'new\nline', Buffer.from([0xff, 0x2e, 0x6c, 0x6f, 0x67]).toString('latin1'), 'axxy', 'x/y'];
  it('agrees with globToRegExp on every pattern and name', () => {
    const differ: string[] = [];
    for (const p of patterns) {
      const re = globToRegExp(p);
      for (const n of names) {
        const c = rmGlobMatch(Buffer.from(p), Buffer.from(n, 'latin1'));
        if (c !== re.test(n)) differ.push(`${JSON.stringify(p)} ~ ${JSON.stringify(n)}: C ${c}, glob.ts ${!c}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
