// Killed or interrupted halfway, rmtree leaves a tree the same command line
// finishes; and the live view in a real terminal.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastTmp } from '../../helpers/scan-tree.js';
import { makeTmux } from '../../helpers/tmux.js';
import { ensureBuilt, plainEnv } from '../../helpers/treescan.js';
import { RMTREE, makeWide, rmtree } from '../../helpers/rmtree.js';

const work = mkdtempSync(join(fastTmp('ioaio-rmtree-int-'), 'w'));
afterAll(() => void execFileSync('rm', ['-rf', work]));

/** Starts rmtree on tree t and signals it as soon as it has begun removing. */
async function signalMidway(signal: NodeJS.Signals, t: string, args: string[] = []): Promise<{ status: number | null; sig: NodeJS.Signals | null; stderr: string }> {
  ensureBuilt();
  const child = spawn(process.execPath, [RMTREE, '-j', '1', ...args, t], { env: plainEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // The root's own files go first, as it is listed (its SIGINT handler is set by then).
  const first = join(t, 'f0');
  while (existsSync(first) && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
  child.kill(signal);
  const [status, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  return { status, sig, stderr };
}

describe('rmtree interrupted', () => {
  it('kill -9 halfway, then the same command line: exit 0 and the tree is gone', async () => {
    const t = join(work, 'k9');
    // ~37k entries: on one thread, a tenth of a second or more after its first directory goes
    const n = makeWide(t, 6, 5, 3);
    expect(n).toBeGreaterThan(37_000);
    const r = await signalMidway('SIGKILL', t);
    expect(r.sig).toBe('SIGKILL');
    expect(existsSync(t)).toBe(true); // killed halfway: the rest is still there
    const again = rmtree(['-j', '1', t]);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(existsSync(t)).toBe(false);
  });

  it('SIGINT: the entries at hand are finished, the summary says interrupted, exit 130; a re-run finishes', async () => {
    const t = join(work, 'int');
    makeWide(t, 6, 5, 3);
    const r = await signalMidway('SIGINT', t);
    expect(r.status).toBe(130);
    expect(existsSync(t)).toBe(true);
    expect(r.stderr).toMatch(/^rmtree: \d+ files, \d+ dirs, 0 symlinks, 0 others removed, 0 errors, 0 left, [\d.]+ s, -j 1, interrupted\n$/);
    const again = rmtree([t]);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(existsSync(t)).toBe(false);
  });
});

describe('rmtree -p in a terminal', () => {
  it('shows the live view, whose last frame counts every entry against the pre-count', async () => {
    const t = join(work, 'view');
    const n = makeWide(t, 5, 3, 4); // 156 dirs, 624 files
    const tmux = makeTmux();
    try {
      tmux.start(`${process.execPath} ${RMTREE} -p ${t}; echo "exit=$?"; sleep 60`);
      const screens = await tmux.captureUntil((s) => s.includes('exit='), 30_000);
      const last = screens.at(-1)!;
      expect(last).toMatch(/^rmtree$/m);
      expect(last).toMatch(new RegExp(`^entries\\s+${n}/${n}\\s+\\(dirs 156, kept 0, left 0\\)`, 'm'));
      expect(last).toMatch(/^errors\s+0/m);
      expect(last).toMatch(/^exit=0$/m);
      expect(existsSync(t)).toBe(false);
    } finally {
      tmux.kill();
    }
  });
});
