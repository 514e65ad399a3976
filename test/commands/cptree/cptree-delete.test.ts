// cptree --delete and --delete-excluded, against rsync -a --delete on twin
// destinations: the same entries are left, nothing outside DST is touched,
// nothing below a mount point with -x, -n deletes nothing and lists first.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cptree, midCopy, tempsIn } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { ensureBuilt } from '../../helpers/treescan.js';

const isRoot = process.getuid?.() === 0;
let work: string;
let n = 0;

beforeAll(() => {
  ensureBuilt();
  work = fastTmp('ioaio-cpdel-');
});
afterAll(() => removeTree(work));

function write(root: string, files: Record<string, string>): void {
  for (const [p, v] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    if (p.endsWith('/')) mkdirSync(join(root, p), { recursive: true });
    else writeFileSync(join(root, p), v);
  }
}

/** Every entry below root with its type and, for files, its content. */
function listing(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(root, r));
    if (st.isDirectory()) out.push(`${r}/`, ...listing(root, r));
    else if (st.isSymbolicLink()) out.push(`${r} -> link`);
    else out.push(`${r}: ${readFileSync(join(root, r), 'utf8')}`);
  }
  return out;
}

/** A source, and a destination holding an older copy of it plus extras of every kind. */
function scene(): { src: string; dst: string; outside: string } {
  const base = join(work, `s${n++}`);
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  const outside = join(base, 'outside');
  write(src, { 'a/f': 'f', 'a/b/g': 'g', 'x.log': 'x', 'a/b/y.log': 'y', 'was-dir': 'now a file', 'was-file/': '', 'was-file/in': 'in', 'keep/': '' });
  write(outside, { 'precious': 'p', 'dir/inside': 'i' });
  write(dst, {
    'a/f': 'old f', 'a/extra': 'e', 'a/gone/deep/z': 'z', 'old/z.log': 'zl', 'old/q': 'q', 'new.log': 'n', 'a/b/y.log': 'old y', 'a/b/other.log': 'o',
    'was-dir/inner': 'i', 'was-file': 'a file', 'x.log': 'old x',
  });
  // links out of DST: removed as links, never followed
  symlinkSync(join(outside, 'precious'), join(dst, 'a/link-to-file'));
  symlinkSync(join(outside, 'dir'), join(dst, 'link-to-dir'));
  return { src, dst, outside };
}

/** The same scene twice: cptree -T on one destination, rsync -a on the other. */
function againstRsync(opts: string[]): { ours: string[]; rsync: string[]; stdout: string; outside: string } {
  const { src, dst, outside } = scene();
  const twin = `${dst}-rsync`;
  execFileSync('cp', ['-a', dst, twin]);
  const r = cptree(['-T', '-v', ...opts, src, dst]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  execFileSync('rsync', ['-a', ...opts, `${src}/`, `${twin}/`], { stdio: 'pipe' });
  return { ours: listing(dst), rsync: listing(twin), stdout: r.stdout.toString(), outside };
}

describe('cptree --delete', () => {
  for (const opts of [['--delete'], ['--delete', '--exclude', '*.log'], ['--delete-excluded', '--exclude', '*.log'], ['--delete', '--exclude', 'a/b/*.log'], ['--delete', '--exclude', 'old/*.log']]) {
    it(`leaves what rsync -a ${opts.join(' ')} leaves`, () => {
      const { ours, rsync, outside } = againstRsync(opts);
      expect(ours).toEqual(rsync);
      expect(listing(outside)).toEqual(['dir/', 'dir/inside: i', 'precious: p']);
    });
  }

  it('-v lists each deletion (before the copies of its directory), --json as delete events with their type', () => {
    const { stdout } = againstRsync(['--delete']);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('delete ')).length).toBeGreaterThan(8);
    expect(lines.findIndex((l) => l.endsWith('/dst/a/extra'))).toBeLessThan(lines.findIndex((l) => l.endsWith('/dst/a/f')));
    const { src, dst } = scene();
    const j = cptree(['-T', '--json', '--delete', src, dst]);
    const ev = j.stdout.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; type?: string; path?: string; deleted?: number });
    expect(ev.find((e) => e.path === join(dst, 'link-to-dir'))).toEqual({ event: 'delete', type: 'symlink', path: join(dst, 'link-to-dir') });
    expect(ev.find((e) => e.path === join(dst, 'a/gone'))).toEqual({ event: 'delete', type: 'dir', path: join(dst, 'a/gone') });
    const summary = ev.find((e) => e.event === 'summary')!;
    expect(summary.deleted).toBe(ev.filter((e) => e.event === 'delete').length);
  });

  it('-n deletes nothing and lists the deletions first', () => {
    const { src, dst } = scene();
    const before = listing(dst);
    const r = cptree(['-T', '-n', '--delete', src, dst]);
    expect(r.status).toBe(0);
    expect(listing(dst)).toEqual(before);
    const lines = r.stdout.toString().split('\n').filter(Boolean);
    expect(lines).toContain(`delete ${join(dst, 'a/gone/deep/z')}`);
    expect(lines).toContain(`delete ${join(dst, 'old')}`);
    expect(lines.indexOf(`delete ${join(dst, 'a/extra')}`)).toBeLessThan(lines.indexOf(`copy ${join(dst, 'a/f')}`));
  });

  it('a second run finds nothing more to delete; rsync --delete --checksum finds nothing to do', () => {
    const { src, dst } = scene();
    expect(cptree(['-T', '--delete', src, dst]).status).toBe(0);
    const again = cptree(['-T', '-u', '--delete', '--summary', src, dst]);
    expect(again.stderr).toMatch(/ 0 deleted, 0 errors/);
    expect(execFileSync('rsync', ['-aHAXn', '-i', '--checksum', '--delete', `${src}/`, `${dst}/`]).toString()).toBe('');
  });

  it("sweeps a dead writer's temporary in the same reading, keeps a live writer's, and never lists either", () => {
    const { src, dst } = scene();
    const live = spawn('sleep', ['30']);
    const dead = spawnSync('true').pid!;
    const hex = (p: number) => p.toString(16).padStart(8, '0');
    const liveTemp = `.ioaio-cp.${hex(live.pid!)}0000abcd`;
    const deadTemp = `.ioaio-cp.${hex(dead)}0000abcd`;
    try {
      for (const t of [liveTemp, deadTemp]) writeFileSync(join(dst, 'a', t), 'partial');
      const r = cptree(['-T', '-v', '--delete', src, dst]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(readdirSync(join(dst, 'a')).filter((x) => x.startsWith('.ioaio-cp.'))).toEqual([liveTemp]);
      expect(r.stdout.toString()).not.toContain('.ioaio-cp.');
    } finally {
      live.kill();
    }
  });

  it.skipIf(!isRoot)('-x: nothing below a mount point in DST is touched, and the mount point stays', () => {
    const { src, dst } = scene();
    // one mount where the source has nothing, one where it has a directory
    const mounts = [join(dst, 'mnt-extra'), join(dst, 'keep')];
    for (const m of mounts) {
      mkdirSync(m, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', m]);
      writeFileSync(join(m, 'on-another-fs'), 'stays');
    }
    try {
      const r = cptree(['-T', '-x', '--delete', src, dst]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const m of mounts) expect(readFileSync(join(m, 'on-another-fs'), 'utf8')).toBe('stays');
      expect(existsSync(join(dst, 'a/extra'))).toBe(false);
    } finally {
      for (const m of mounts) execFileSync('umount', [m]);
    }
  });

  it('kill -9 mid-copy, then the identical command: rsync --delete finds nothing, no temporaries', async () => {
    const { src, dst } = scene();
    execFileSync('sh', ['-c', 'for i in 1 2 3 4; do head -c 32M /dev/urandom > big$i; done'], { cwd: src });
    const args = ['-T', '--delete', '-j', '1', '--max-outstanding', '1', src, dst];
    const r = await midCopy(args, dst, (child) => child.kill('SIGKILL'));
    expect(r.signal).toBe('SIGKILL');
    const again = cptree(args);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(tempsIn(dst)).toEqual([]);
    expect(execFileSync('rsync', ['-aHAXn', '-i', '--checksum', '--delete', `${src}/`, `${dst}/`]).toString()).toBe('');
  });
});
