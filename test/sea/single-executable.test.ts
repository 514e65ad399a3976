// `npm run package` (scripts/sea.mjs), then the executable alone in an empty
// directory: no node_modules, no build/, no package.json beside it; its
// native files come out of itself into a fresh per-user cache.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cleanEnv, runBin } from '../helpers/cli.js';
import { ensureDist } from '../helpers/child.js';
import { fastTmp, makeWideTree } from '../helpers/scan-tree.js';
import { makeTmux } from '../helpers/tmux.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const work = mkdtempSync(join(tmpdir(), 'ioaio-sea-'));
const dir = join(work, 'empty');
const exe = join(dir, 'ioaio-linux-x64');
const tree = makeTree({ a: 'x', d: { b: 'yy', e: {} }, 'sp ace': '' });
const pkg = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' })) as { version: string };

/** The executable (or a link to it) run with a cache of its own, PATH without node's folder. */
function sea(prog: string, args: string[], cache = join(work, 'cache'), input?: string) {
  return spawnSync(prog, args, { cwd: dir, encoding: 'utf8', input, timeout: 30_000, env: cleanEnv({ XDG_CACHE_HOME: cache, PATH: '/nonexistent' }) });
}

beforeAll(() => {
  ensureDist();
  const built = join(work, 'built');
  execFileSync(process.execPath, ['scripts/sea.mjs'], { cwd: ROOT, env: { ...process.env, IOAIO_SEA_OUT: built }, stdio: 'pipe', timeout: 240_000 });
  execFileSync('mkdir', [dir]);
  copyFileSync(built, exe);
  execFileSync('chmod', ['755', exe]);
  symlinkSync('ioaio-linux-x64', join(dir, 'treescan'));
}, 300_000);
afterAll(() => {
  removeTree(work);
  removeTree(tree);
});

describe('single executable', () => {
  it('is alone in its directory and answers --version', () => {
    expect(readdirSync(dir).sort()).toEqual(['ioaio-linux-x64', 'treescan']);
    const r = sea(exe, ['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('carries the licences and prints them, as the npm bins do', () => {
    const r = sea(exe, ['--licenses']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(runBin('ioaio', ['--licenses']).stdout);
    expect(r.stdout).toContain('==== libeio');
  });

  it('runs treescan like bin/treescan, and pstat on a path list', () => {
    const ours = sea(exe, ['treescan', '--sort', tree]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(runBin('treescan', ['--sort', tree]).stdout);
    expect(ours.stdout.split('\n')).toContain(`${tree}/d/e/`);
    const list = `${tree}/a\n${tree}/d/b\n${tree}/sp ace\n`;
    const st = sea(exe, ['pstat', '-c', '%s %F %n'], undefined, list);
    expect(st.status).toBe(0);
    expect(st.stdout).toBe(`1 regular file ${tree}/a\n2 regular file ${tree}/d/b\n0 regular empty file ${tree}/sp ace\n`);
  });

  it('runs cptree: the copy lists as the source does', () => {
    const dst = join(work, 'copy');
    const r = sea(exe, ['cptree', '-T', tree, dst]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const list = (root: string) => runBin('treescan', ['--sort', root]).stdout.split(root).join('ROOT');
    expect(list(dst)).toBe(list(tree));
  });

  it('runs rmtree: a copy of the tree is removed, the source stays', () => {
    const dst = join(work, 'to-remove');
    expect(sea(exe, ['cptree', '-T', tree, dst]).status).toBe(0);
    const r = sea(exe, ['rmtree', '--summary', dst]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^rmtree: 3 files, 3 dirs, 0 symlinks, 0 others removed, 0 errors, 0 left, [\d.]+ s, -j auto \d+->\d+ \(\d+\.\.\d+, \d+ changes?\)\n$/);
    expect(existsSync(dst)).toBe(false);
    expect(existsSync(join(tree, 'd', 'b'))).toBe(true);
  });

  it('runs mvtree: a copy of the tree is moved by rename, and lists as the source does', () => {
    const a = join(work, 'to-move');
    const b = join(work, 'moved');
    expect(sea(exe, ['cptree', '-T', tree, a]).status).toBe(0);
    const r = sea(exe, ['mvtree', '-v', a, b]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`rename ${a} -> ${b}\n`);
    expect(existsSync(a)).toBe(false);
    const list = (root: string) => runBin('treescan', ['--sort', root]).stdout.split(root).join('ROOT');
    expect(list(b)).toBe(list(tree));
  });

  it('through a link named treescan it is treescan (errors, exit status and all)', () => {
    const r = sea(join(dir, 'treescan'), ['-f', '--sort', tree, join(tree, 'missing')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${tree}/a\n${tree}/d/b\n${tree}/sp ace\n`);
    expect(r.stderr).toBe(`treescan: ${tree}/missing: no such file or directory\n`);
    expect(sea(join(dir, 'treescan'), ['--bogus']).status).toBe(2);
  });

  it('extracts its native files once, safely, when several start at once on an empty cache', async () => {
    const cache = join(work, 'race-cache');
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const c = spawn(exe, ['treescan', '-s', '--sort', tree], { cwd: dir, env: cleanEnv({ XDG_CACHE_HOME: cache }) });
          let out = '';
          c.stdout.on('data', (d) => (out += d));
          c.on('close', (code) => resolve({ code, out }));
        }),
      ),
    );
    const want = runBin('treescan', ['--sort', tree]).stdout;
    for (const r of runs) expect(r).toEqual({ code: 0, out: want });
    // <cache>/ioaio/<content hash>/<name>, one of each and no temporary files left.
    const files = readdirSync(join(cache, 'ioaio'), { recursive: true }).map(String);
    const leaves = files.filter((f) => f.includes('/')).map((f) => f.split('/'));
    expect(leaves.map(([, name]) => name).sort()).toEqual(['koffi.node', 'libioaio.so']);
    for (const [hash] of leaves) expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(files.length).toBe(4);
    for (const [hash] of leaves) expect(statSync(join(cache, 'ioaio', hash!)).mode & 0o777).toBe(0o700);
  }, 60_000);

  it('shows cptree\'s live view too (its own asset): the copy rows and the last frame, exit 0', async () => {
    const src = fastTmp('ioaio-sea-cp-');
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(src, `d${d}`));
      for (let f = 0; f < 50; f++) writeFileSync(join(src, `d${d}`, `f${f}`), 'x'.repeat(4096));
    }
    const dst = `${src}-copy`;
    const tmux = makeTmux();
    try {
      tmux.start(`XDG_CACHE_HOME='${join(work, 'cache')}' '${exe}' cptree -p -j 1 --max-outstanding 1 -T '${src}' '${dst}'; echo "cp-exit=$?"; sleep 60`);
      const screens = await tmux.captureUntil((sc) => sc.includes('cp-exit='), 60_000);
      expect(screens.at(-1)!).toMatch(/^cp-exit=0$/m);
      const frames = screens.filter((sc) => /^entries\s/m.test(sc));
      expect(frames.length).toBeGreaterThanOrEqual(1);
      for (const row of ['entries', 'bytes', 'rate', 'in flight', 'errors', 'elapsed']) expect(frames.at(-1)!).toMatch(new RegExp(`^${row}\\s`, 'm'));
      expect(screens.at(-1)!).toMatch(/^entries\s+1\.00k\/1\.00k/m);
    } finally {
      tmux.kill();
      removeTree(src);
      removeTree(dst);
    }
  }, 90_000);

  it('on a terminal shows the same live view as the npm bin: the same rows, the last frame kept, no plain line', async () => {
    const big = fastTmp('ioaio-sea-prog-');
    makeWideTree(big, 150, 200);
    /** The screens of `cmd treescan -p -j 1 big` in a pty, until it says it exited. */
    const run = async (cmd: string, tag: string) => {
      const tmux = makeTmux();
      try {
        // The listing goes to a pipe nobody reads for 1.5 s, so the scan waits
        // on it and outlasts the view's first frames however fast it is.
        tmux.start(`{ ${cmd} treescan -p -j 1 '${big}'; echo "${tag}-exit=$?" >&2; } | (sleep 1.5; cat >/dev/null); sleep 60`);
        return await tmux.captureUntil((sc) => sc.includes(`${tag}-exit=`), 60_000);
      } finally {
        tmux.kill();
      }
    };
    /** The row labels of a frame of the view (dirs, files, stats, rate …). */
    const labels = (screen: string) => screen.split('\n').map((l) => /^([a-z][a-z ]*?)\s{2,}/.exec(l)?.[1]).filter(Boolean);
    try {
      const seaScreens = await run(`XDG_CACHE_HOME='${join(work, 'cache')}' '${exe}'`, 'sea');
      const npmScreens = await run(`'${process.execPath}' '${join(ROOT, 'bin/ioaio')}'`, 'npm');
      expect(seaScreens.at(-1)!).toMatch(/^sea-exit=0$/m);
      const frames = seaScreens.filter((sc) => /^dirs\s/m.test(sc));
      expect(frames.length).toBeGreaterThanOrEqual(1);
      const last = frames.at(-1)!;
      for (const row of ['dirs', 'files', 'stats', 'rate', 'in flight', 'errors', 'elapsed']) expect(last).toMatch(new RegExp(`^${row}\\s`, 'm'));
      // no plain line: the view itself
      expect(seaScreens.some((sc) => /^treescan: [\d.]+[kM]? dirs, /m.test(sc))).toBe(false);
      const npmLast = npmScreens.filter((sc) => /^dirs\s/m.test(sc)).at(-1)!;
      expect(labels(last)).toEqual(labels(npmLast));
      expect(last).toMatch(/^dirs\s+30\.2k$/m); // the last frame: every directory
    } finally {
      removeTree(big);
    }
  }, 120_000);
});
