// What rmtree refuses, reports and leaves: '/', '.', '..'; missing PATHs;
// directories it may not change (as nobody); mount points inside the tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSetpriv, isRoot, lines, listAll, rmtree } from '../../helpers/rmtree.js';

const work = mkdtempSync(join(tmpdir(), 'ioaio-rmtree-err-'));
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+rwx', work]);
  execFileSync('rm', ['-rf', work]);
});
let seq = 0;
const fresh = () => join(work, `t${++seq}`);
const asNobody = isRoot && hasSetpriv;

describe('rmtree refuses', () => {
  // As nobody and with -n as well: were the refusal ever broken, nothing
  // could be removed anyway.
  it.skipIf(!asNobody)("'/' and whatever is '/', before removing anything, exit 2", () => {
    const sentinel = fresh();
    mkdirSync(sentinel);
    chmodSync(work, 0o777);
    chmodSync(sentinel, 0o777);
    writeFileSync(join(sentinel, 'f'), '');
    chmodSync(join(sentinel, 'f'), 0o666);
    for (const root of ['/', '//', '/./', '/usr/..']) {
      const r = rmtree(['-n', sentinel, root], { asNobody: true });
      expect(r.status).toBe(2);
      expect(r.stdout.length).toBe(0);
      const dots = root.endsWith('..') || root.endsWith('./');
      expect(r.stderr).toBe(`rmtree: ${root}: refusing to remove ${dots ? "'.' or '..'" : "'/'"}\n`);
    }
    const real = rmtree([sentinel, '/'], { asNobody: true });
    expect(real.status).toBe(2);
    expect(existsSync(join(sentinel, 'f'))).toBe(true);
  });

  it("'.', '..' and dir/.. with one line each and exit 2, removing nothing", () => {
    const t = fresh();
    mkdirSync(join(t, 'in'), { recursive: true });
    for (const [arg, cwd] of [['.', join(t, 'in')], ['..', join(t, 'in')], [`${t}/in/..`, work], [`${t}/in/.`, work]] as const) {
      const r = rmtree([arg], { cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`rmtree: ${arg}: refusing to remove '.' or '..'\n`);
    }
    expect(existsSync(join(t, 'in'))).toBe(true);
  });

  it("'' is a usage error", () => {
    const r = rmtree(['']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rmtree: '' is not a path\n/);
  });
});

describe('rmtree reports', () => {
  it('a missing PATH: nothing by default (rm -f), an error with --no-force; the rest goes either way', () => {
    const a = fresh();
    mkdirSync(a);
    const missing = join(work, 'no-such');
    let r = rmtree([missing, a]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(existsSync(a)).toBe(false);
    mkdirSync(a);
    r = rmtree(['--no-force', missing, a]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`rmtree: ${missing}: no such file or directory\n`);
    expect(existsSync(a)).toBe(false);
  });

  it.skipIf(!asNobody)('what nobody may not remove, each with its path; the rest is removed; exit 1', () => {
    const t = fresh();
    mkdirSync(join(t, 'ro'), { recursive: true });
    mkdirSync(join(t, 'unreadable'));
    mkdirSync(join(t, 'empty-unreadable'));
    mkdirSync(join(t, 'mine', 'deep'), { recursive: true });
    writeFileSync(join(t, 'ro', 'f1'), '');
    writeFileSync(join(t, 'unreadable', 'g'), '');
    writeFileSync(join(t, 'mine', 'deep', 'h'), '');
    chmodSync(work, 0o777);
    chmodSync(t, 0o777);
    execFileSync('chown', ['-R', '65534:65534', join(t, 'mine')]);
    chmodSync(join(t, 'ro'), 0o555);
    chmodSync(join(t, 'unreadable'), 0o000);
    chmodSync(join(t, 'empty-unreadable'), 0o000);
    const r = rmtree(['--json', t], { asNobody: true });
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([`rmtree: ${t}/ro/f1: permission denied`, `rmtree: ${t}/unreadable: permission denied`].sort());
    const events = lines(r.stdout).map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'error').map((e) => [e.path, e.code]).sort()).toEqual([[`${t}/ro/f1`, 'EACCES'], [`${t}/unreadable`, 'EACCES']].sort());
    expect(events.at(-1)).toMatchObject({ event: 'summary', errors: 2, files: 1, dirs: 3 }); // mine, mine/deep, empty-unreadable
    spawnSync('chmod', ['-R', 'u+rwx', t]);
    expect(listAll(t).map((p) => p.slice(t.length)).sort()).toEqual(['', '/ro', '/ro/f1', '/unreadable', '/unreadable/g']);
  });

  it.skipIf(!isRoot)('as root, directories without any permission bits are removed', () => {
    const t = fresh();
    mkdirSync(join(t, 'a', 'b'), { recursive: true });
    writeFileSync(join(t, 'a', 'b', 'f'), '');
    chmodSync(join(t, 'a', 'b'), 0o000);
    chmodSync(join(t, 'a'), 0o000);
    chownSync(join(t, 'a'), 65534, 65534);
    const r = rmtree([t]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(existsSync(t)).toBe(false);
  });
});

describe.skipIf(!isRoot)('rmtree and a mount point inside the tree', () => {
  const mounted: string[] = [];
  afterAll(() => {
    for (const m of mounted) spawnSync('umount', ['-l', m]);
  });
  const withMount = () => {
    const t = fresh();
    mkdirSync(join(t, 'mnt'), { recursive: true });
    mkdirSync(join(t, 'other'));
    writeFileSync(join(t, 'other', 'x'), '');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(t, 'mnt')]);
    mounted.push(join(t, 'mnt'));
    mkdirSync(join(t, 'mnt', 'inside'));
    writeFileSync(join(t, 'mnt', 'inside', 'data'), 'on the other filesystem');
    return t;
  };

  it('-x leaves it whole and says so (exit 1); everything else goes', () => {
    const t = withMount();
    const r = rmtree(['-x', '--summary', t]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`rmtree: ${t}/mnt: on another filesystem: left in place`);
    expect(r.stderr).toMatch(/rmtree: 1 files, 1 dirs, 0 symlinks, 0 others removed, 0 errors, 1 left, /);
    expect(listAll(t).map((p) => p.slice(t.length)).sort()).toEqual(['', '/mnt', '/mnt/inside', '/mnt/inside/data']);
  });

  it('without -x its contents go, as with rm -rf, and the mount point is busy', () => {
    const t = withMount();
    const r = rmtree([t]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`rmtree: ${t}/mnt: resource busy or locked\n`);
    expect(listAll(t).map((p) => p.slice(t.length)).sort()).toEqual(['', '/mnt']);
  });
});
