// pstat's, cptree's and mvtree's live views in a real pty (tmux), as treescan's is in
// treescan-progress.test.ts: the rows show, the figures move, the last frame
// stays and the command exits 0. Both runs are slowed so the view lives for
// over a second: pstat reads a slow producer, cptree and mvtree copy with one
// thread and one request in flight.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/child.js';
import { isRoot, mountTmpfs, umount } from '../helpers/mvtree.js';
import { fastTmp } from '../helpers/scan-tree.js';
import { makeTmux } from '../helpers/tmux.js';
import { removeTree } from '../helpers/tree.js';

const bin = (name: string) => fileURLToPath(new URL(`../../bin/${name}`, import.meta.url));
const sh = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;

let root: string;
beforeAll(() => {
  ensureDist();
  root = fastTmp('ioaio-live-');
  for (let d = 0; d < 40; d++) {
    mkdirSync(join(root, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(join(root, 'src', `d${d}`, `f${f}`), 'x'.repeat(4096));
  }
}, 60_000);
afterAll(() => removeTree(root));

/** Runs command in a pty until it prints "<tag>-exit=N"; returns the screens. */
async function screens(tag: string, command: string): Promise<string[]> {
  const tmux = makeTmux();
  try {
    tmux.start(`${command}; echo "${tag}-exit=$?"; sleep 60`);
    return await tmux.captureUntil((s) => s.includes(`${tag}-exit=`), 40_000);
  } finally {
    tmux.kill();
  }
}

describe('live views in a pty', () => {
  it('pstat: paths by type, stats, rate, in flight, errors, elapsed; exits 0', async () => {
    // Paths arrive over ~2 s: the view runs while stats trickle in.
    const producer = `for d in $(seq 0 39); do for f in $(seq 0 49); do echo ${sh(root)}/src/d$d/f$f; done; sleep 0.05; done`;
    const seen = await screens('pstat', `(${producer}) | ${sh(process.execPath)} ${sh(bin('pstat'))} -p -c %n > /dev/null`);
    const last = seen.at(-1)!;
    expect(last).toMatch(/^pstat-exit=0$/m);
    const running = seen.filter((s) => !s.includes('pstat-exit=') && /^stats\s/m.test(s));
    expect(running.length).toBeGreaterThanOrEqual(2);
    for (const label of ['files', 'stats', 'rate', 'in flight', 'errors', 'elapsed']) expect(running.at(-1)!).toMatch(new RegExp(`^${label}\\s`, 'm'));
    const stats = running.map((s) => parseFloat(/^stats\s+([\d.]+)/m.exec(s)![1]!));
    expect(new Set(stats).size).toBeGreaterThanOrEqual(2);
    expect(last).toMatch(/^stats\s+2\.00k$/m); // the last frame: all 2,000 paths
  }, 60_000);

  it('cptree: entries and bytes against the total, rate, ETA, current file, errors; exits 0', async () => {
    const dst = join(root, 'dst');
    const seen = await screens('cptree', `${sh(process.execPath)} ${sh(bin('cptree'))} -p -j 1 --max-outstanding 1 -T ${sh(join(root, 'src'))} ${sh(dst)}`);
    const last = seen.at(-1)!;
    expect(last).toMatch(/^cptree-exit=0$/m);
    const running = seen.filter((s) => !s.includes('cptree-exit=') && /^entries\s/m.test(s));
    expect(running.length).toBeGreaterThanOrEqual(1);
    for (const label of ['entries', 'bytes', 'rate', 'eta', 'now', 'in flight', 'errors', 'elapsed']) expect(running.at(-1)!).toMatch(new RegExp(`^${label}\\s`, 'm'));
    expect(last).toMatch(/^entries\s+2\.00k\/2\.00k/m); // the 2,000 files, all done
  }, 60_000);

  it.skipIf(!isRoot)('mvtree across filesystems: the copy view, then the removal view; both last frames stay; exits 0', async () => {
    const other = join(root, 'other-fs');
    const src = join(root, 'mv-src');
    mountTmpfs(other);
    try {
      execFileSync('cp', ['-a', join(root, 'src'), src]);
      const seen = await screens('mvtree', `${sh(process.execPath)} ${sh(bin('mvtree'))} -p -j 1 --max-outstanding 1 -T ${sh(src)} ${sh(join(other, 'moved'))}`);
      const last = seen.at(-1)!;
      expect(last).toMatch(/^mvtree-exit=0$/m);
      const copying = seen.filter((s) => !s.includes('mvtree-exit=') && /^bytes\s/m.test(s));
      expect(copying.length).toBeGreaterThanOrEqual(1);
      for (const label of ['entries', 'bytes', 'rate', 'in flight', 'errors', 'elapsed']) expect(copying.at(-1)!).toMatch(new RegExp(`^${label}\\s`, 'm'));
      // the copy's last frame (every file) above the removal's (every entry: 2,000 files, 40 dirs and the root)
      expect(last).toMatch(/^entries\s+2\.00k\/2\.00k/m);
      expect(last).toMatch(/^entries\s+2\.04k\/2\.04k\s+\(dirs 41, kept 0, left 0\)/m);
      expect(existsSync(src)).toBe(false);
    } finally {
      umount(other);
    }
  }, 60_000);
});
