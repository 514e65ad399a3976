// treescan's errors: `treescan: PATH: reason` on stderr, the scan goes on,
// exit 1; bad usage exits 2; Ctrl-C exits 130 after what was done.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/req.js';
import { BAD_DIR, fastTmp } from '../../helpers/scan-tree.js';
import { makeTree, removeTree } from '../../helpers/tree.js';
import { BIN, collect, dirOrNot, ensureBuilt, findTypes, k, records, scanTypes, sorted, spawnTreescan, treescan, treescanAll } from '../../helpers/treescan.js';

const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

let t: string;
let big: string;
const DIRS = 400;
const FILES = 25;
const dirName = (i: number) => `d${String(i).padStart(3, '0')}`;
const fileName = (j: number) => `${'f'.repeat(180)}${j}`;

/** DIRS directories of FILES long names: about 2.4 MB of output. */
function makeBig(): void {
  for (let i = 0; i < DIRS; i++) {
    mkdirSync(join(big, dirName(i)));
    for (let j = 0; j < FILES; j++) writeFileSync(join(big, dirName(i), fileName(j)), '');
  }
}

beforeAll(() => {
  ensureBuilt();
  t = makeTree({ a: 'a', sub: { x: 'x', y: { z: 'z' } } });
  big = fastTmp('ioaio-ts-err-');
  makeBig();
});
afterAll(() => {
  removeTree(t);
  removeTree(big);
});

describe('treescan errors', () => {
  it('a PATH that does not exist is reported; the other PATHs are listed; exit 1', () => {
    const nope = join(t, 'nope');
    const r = treescan(['-0', nope, join(t, 'sub'), join(t, 'a')]);
    expect(r.stderr).toBe(`treescan: ${nope}: no such file or directory\n`);
    expect(r.status).toBe(1);
    const want = new Map([...dirOrNot(findTypes(join(t, 'sub')).types), [k(t, '/a'), '-']]);
    expect(sorted(scanTypes(r.stdout, 0))).toEqual(sorted(want));
  });

  it.skipIf(isRoot && !hasSetpriv)('an unreadable directory is listed, reported, and skipped (as nobody when root; setpriv needed)', () => {
    const root = fastTmp('ioaio-ts-perm-');
    try {
      mkdirSync(join(root, 'locked'));
      writeFileSync(join(root, 'locked/hidden'), '');
      const bad = Buffer.concat([Buffer.from(`${root}/`), BAD_DIR]);
      mkdirSync(bad);
      writeFileSync(join(root, 'open'), '');
      chmodSync(join(root, 'locked'), 0);
      chmodSync(bad, 0);
      // Root reads anything: run both as nobody then.
      const run = (cmd: string, args: string[]) =>
        isRoot ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...args]) : spawnSync(cmd, args);
      const r = run(process.execPath, [BIN, '-0', root]);
      const f = run('find', [root, '-printf', '%y %p\\0']);
      expect(f.status).toBe(1); // find could not read them either
      expect(r.status).toBe(1);
      const err = r.stderr;
      expect(err.includes(Buffer.from(`treescan: ${root}/locked: permission denied\n`)), err.toString()).toBe(true);
      expect(err.includes(Buffer.concat([Buffer.from('treescan: '), bad, Buffer.from(': permission denied\n')])), err.toString('latin1')).toBe(true);
      expect(err.toString().trim().split('\n')).toHaveLength(2);
      const want = new Map<string, string>();
      for (const rec of records(f.stdout, 0)) want.set(rec.subarray(2).toString('latin1'), rec[0] === 0x64 ? 'd' : '-');
      expect(sorted(scanTypes(r.stdout, 0))).toEqual(sorted(want));
      expect(want.get(k(root, '/locked'))).toBe('d');
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
      removeTree(root);
    }
  });

  it('SIGINT while scanning: whole lines of what was done, then exit 130', async () => {
    const child = spawnTreescan(['-s', big]);
    const done = collect(child);
    await new Promise<void>((resolve) => child.stdout!.once('data', () => (child.stdout!.pause(), resolve())));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    child.stdout!.resume();
    const r = await done;
    expect(r.signal).toBeNull();
    expect(r.status).toBe(130);
    expect(r.stderr).toBe('');
    const listed = scanTypes(r.stdout); // whole lines only
    const all = findTypes(big).types;
    expect(listed.size).toBeGreaterThan(1);
    expect(listed.size).toBeLessThan(all.size);
    for (const p of listed.keys()) expect(all.has(p), p).toBe(true);
  });

  it('entries that vanish during the scan are reported; the rest is listed; exit 1', async () => {
    const child = spawnTreescan([big]);
    const done = collect(child);
    // Stop reading: once the pipe is full, treescan stops reading directories.
    await new Promise<void>((resolve) => child.stdout!.once('data', () => (child.stdout!.pause(), resolve())));
    await new Promise((r) => setTimeout(r, 400));
    for (const d of readdirSync(big)) rmSync(join(big, d), { recursive: true });
    child.stdout!.resume();
    const r = await done;
    expect(r.status).toBe(1);
    const listed = scanTypes(r.stdout);
    const errs = r.stderr.trim().split('\n');
    let failed = 0;
    for (let i = 0; i < DIRS; i++) {
      const p = join(big, dirName(i));
      const files = [...Array(FILES).keys()].filter((j) => listed.has(k(p, '/', fileName(j)))).length;
      const error = errs.includes(`treescan: ${p}: no such file or directory`);
      expect([files, error], p).toEqual(error ? [0, true] : [FILES, false]);
      expect(listed.get(k(p))).toBe('d');
      if (error) failed++;
    }
    expect(errs).toHaveLength(failed);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(DIRS);
  });
});

describe('treescan usage', () => {
  it('bad usage exits 2 with a message on stderr and nothing on stdout', async () => {
    const cases = {
      unknown: ['--bogus', t],
      jobs0: ['-j', '0', t],
      outstandingWord: ['--max-outstanding', 'many', t],
      dirsFiles: ['-d', '-f', t],
      badRe: ['-g', '(', t],
      badProgress: ['--progress=sometimes', t],
    };
    const runs = await treescanAll(Object.fromEntries(Object.entries(cases).map(([n, a]) => [n, [a]])) as Record<keyof typeof cases, [string[]]>);
    for (const [name, r] of Object.entries(runs)) {
      expect([name, r.status, r.stdout.length]).toEqual([name, 2, 0]);
      expect(r.stderr, name).toMatch(/^treescan: .+\n/);
    }
    expect(runs.unknown.stderr).toContain('--bogus');
    expect(runs.jobs0.stderr).toContain('--jobs');
    expect(runs.dirsFiles.stderr).toMatch(/--dirs|--files|-d|-f/);
  });

  it('--help and --version print to stdout and exit 0', async () => {
    const { help, version } = await treescanAll({ help: [['--help']], version: [['-V']] });
    expect(help.status).toBe(0);
    for (const opt of ['--quiet', '--print0', '--stat', '--dirs', '--files', '--progress', '--sync', '--grep', '--jobs', '--max-outstanding', '--json', '--max-depth', '--one-file-system', '--follow', '--exclude', '--sort', '--summary']) {
      expect(help.stdout.toString()).toContain(opt);
    }
    expect(version.status).toBe(0);
    expect(version.stdout.toString()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
