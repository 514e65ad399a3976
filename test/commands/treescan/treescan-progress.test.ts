// treescan --progress: nothing unless asked (or on a terminal), a plain line
// a second on a non-terminal stderr, and the live ink view in a real pty
// (tmux). Scans are made to last a few seconds: by not reading their output
// (non-terminal), or slowed down (-s, one thread, one request in flight).
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/req.js';
import { fastTmp, makeWideTree } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { makeTmux } from '../../helpers/tmux.js';
import { BIN, collect, ensureBuilt, scanTypes, spawnTreescan, treescan, type TsResult } from '../../helpers/treescan.js';

const SLOW = ['-q', '-s', '-j', '1', '--max-outstanding', '1'];
const LINE = /^treescan: [\d.]+[kM]? dirs, [\d.]+[kM]? files, [\d.]+[kM]? stats, [\d.]+[kM]?\/s, \d+ in flight, \d+ threads?(?: \(auto\))?, \d+ errors, [\d.]+ s$/;

/** "1.23k" -> 1230 */
const num = (s: string) => parseFloat(s) * (s.endsWith('M') ? 1e6 : s.endsWith('k') ? 1e3 : 1);

let big: string;
let dirs: number;
beforeAll(() => {
  ensureBuilt();
  // tmux is needed for the live view test: install it when missing.
  if (spawnSync('which', ['tmux']).status !== 0 && isRoot) {
    const install = () => spawnSync('apt-get', ['install', '-y', 'tmux'], { stdio: 'ignore', timeout: 120_000 }).status === 0;
    if (!install()) {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 120_000 });
      install();
    }
  }
  big = fastTmp('ioaio-ts-prog-');
  dirs = makeWideTree(big, 150, 200);
}, 150_000);
afterAll(() => removeTree(big));

/** Runs treescan on the big tree, not reading its output for stallMs: the
 *  scan then waits on the full pipe (no CPU spent) with the event loop free.
 *  One request in flight: a full pipe stops new requests, but what those in
 *  flight return is still taken, and with the default window that was the
 *  whole of this tree's listing (1.2 MB) on a fast day, so the walk ended
 *  before its first second and printed no line. */
async function stalled(args: string[], stallMs: number): Promise<TsResult> {
  const child = spawnTreescan(['--max-outstanding', '1', ...args, big]);
  const done = collect(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => (child.stdout!.pause(), resolve())));
  await new Promise((r) => setTimeout(r, stallMs));
  child.stdout!.resume();
  return done;
}

describe('treescan progress on a non-terminal', () => {
  it('never and auto print nothing; -p and always print a plain line a second', async () => {
    const [never, auto, p, always] = await Promise.all([['--progress=never'], [], ['-p', '-0'], ['--progress', 'always']].map((a) => stalled(a, 2200)));
    for (const res of [never!, auto!, p!, always!]) {
      expect(res.status).toBe(0);
      expect(scanTypes(res.stdout, res === p ? 0 : 0x0a).size).toBe(dirs);
    }
    expect(never!.stderr).toBe('');
    expect(auto!.stderr).toBe('');
    for (const res of [p!, always!]) {
      expect(res.stderr.endsWith('\n')).toBe(true);
      const lines = res.stderr.slice(0, -1).split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.length).toBeLessThanOrEqual(20);
      for (const line of lines) expect(line).toMatch(LINE);
      const counts = lines.map((l) => num(/([\d.]+[kM]?) dirs/.exec(l)![1]!));
      for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
      expect(counts[0]!).toBeGreaterThan(0);
      expect(counts.at(-1)!).toBeLessThanOrEqual(dirs * 1.01); // "30.2k" for 30151
      const secs = lines.map((l) => parseFloat(/([\d.]+) s$/.exec(l)![1]!));
      for (let i = 1; i < secs.length; i++) expect(secs[i]! - secs[i - 1]!).toBeCloseTo(1, 0);
    }
  }, 30_000);

  it('-p alone (followed by a PATH) means --progress=always', () => {
    const res = treescan(['-q', '-p', big, '--max-depth', '1']);
    expect(res.stderr).not.toMatch(/invalid|Try/);
    expect(res.status).toBe(0);
  });
});

describe('treescan live view', () => {
  it('shows dirs, files, stats, rate, in flight, errors, elapsed, growing, in a pty; exits 0', async () => {
    const tmux = makeTmux();
    try {
      const sh = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
      tmux.start(`${[process.execPath, BIN, '-p', ...SLOW, big].map(sh).join(' ')}; echo "treescan-exit=$?"; sleep 60`);
      const screens = await tmux.captureUntil((s) => s.includes('treescan-exit='), 40_000);
      const last = screens.at(-1)!;
      expect(last).toMatch(/^treescan-exit=0$/m);
      const running = screens.filter((s) => !s.includes('treescan-exit=') && /^dirs\s/m.test(s));
      expect(running.length).toBeGreaterThanOrEqual(2);
      for (const label of ['dirs', 'files', 'stats', 'rate', 'in flight', 'errors', 'elapsed']) {
        expect(running.at(-1)!).toMatch(new RegExp(`^${label}\\s`, 'm'));
      }
      expect(running.at(-1)!).toMatch(/^rate\s+[\d.]+[kM]? entries\/s$/m);
      expect(running.at(-1)!).toMatch(/^elapsed\s+[\d.]+ s$/m);
      const seen = running.map((s) => num(/^dirs\s+([\d.]+[kM]?)/m.exec(s)![1]!));
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      expect(new Set(seen).size).toBeGreaterThanOrEqual(2);
      expect(parseFloat(/^elapsed\s+([\d.]+) s$/m.exec(last)![1]!)).toBeGreaterThanOrEqual(1); // live for over a second
      // The last frame stays: all directories counted.
      const final = num(/^dirs\s+([\d.]+[kM]?)/m.exec(last)![1]!);
      expect(Math.abs(final - dirs)).toBeLessThanOrEqual(dirs * 0.01);
    } finally {
      tmux.kill();
    }
  }, 60_000);
});
