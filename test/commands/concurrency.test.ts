// -j auto end to end with the real bin/ commands: on the latency FUSE
// fixture (2 ms an operation, 256 in service) treescan's concurrency moves
// from its start and the debug log says why; every command's summary says
// what its concurrency was (auto or fixed), and -j rejects what is neither.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runBin } from '../helpers/cli.js';
import { fuseSkipReason, mountLatency } from '../helpers/fuse.js';
import { fastTmp, makeWideTree } from '../helpers/scan-tree.js';

const AUTO = /-j auto (\d+)->(\d+) \((\d+)\.\.(\d+), (\d+) changes?\)/;

describe('-j auto', () => {
  let root: string;
  beforeAll(() => {
    root = fastTmp('ioaio-conc-');
    makeWideTree(join(root, 'src'), 4, 5, 6);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is the default, and each summary says where it started and ended', () => {
    const src = join(root, 'src');
    const t = runBin('treescan', ['-q', '--summary', src]);
    expect(t.status, t.stderr).toBe(0);
    const m = AUTO.exec(t.stderr);
    expect(m, t.stderr).not.toBeNull();
    // a local tree starts from 8, today's guess there
    expect(m![1]).toBe('8');

    const list = join(root, 'paths');
    writeFileSync(list, [join(src, 'd0', 'e0', 'f0______'), join(src, 'd1')].join('\n') + '\n');
    const p = runBin('pstat', ['--summary-json', '--from', list]);
    expect(p.status, p.stderr).toBe(0);
    expect(JSON.parse(p.stderr.trim()).concurrency).toMatchObject({ mode: 'auto', start: 8 });

    const c = runBin('cptree', ['--json', src, join(root, 'copy')]);
    expect(c.status, c.stderr).toBe(0);
    const summary = JSON.parse(c.stdout.trim().split('\n').pop()!);
    expect(summary.event).toBe('summary');
    expect(summary.concurrency).toMatchObject({ mode: 'auto', start: 8 });

    const r = runBin('rmtree', ['--json', join(root, 'copy')]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).concurrency.mode).toBe('auto');
  });

  it('-j N pins N threads, and the summary says so', () => {
    const src = join(root, 'src');
    const t = runBin('treescan', ['-q', '--summary', '-j', '3', src]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/, -j 3\n$/);
    const c = runBin('cptree', ['--json', '-j', '2', src, join(root, 'copy2')]);
    expect(JSON.parse(c.stdout.trim().split('\n').pop()!).concurrency).toEqual({ mode: 'fixed', jobs: 2 });
    const m = runBin('mvtree', ['--summary', '-j', '2', join(root, 'copy2'), join(root, 'moved')]);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stderr).toMatch(/-j 2\n$/);
  });

  it('refuses a -j that is neither auto nor a positive integer, naming the value', () => {
    for (const cmd of ['treescan', 'pstat', 'cptree', 'rmtree', 'mvtree']) {
      const r = runBin(cmd, ['-j', 'fast', root, join(root, 'x')]);
      expect(r.status, cmd).toBe(2);
      expect(r.stderr, cmd).toMatch(/--jobs must be 'auto' or a positive integer, got 'fast'/);
    }
  });
});

const skip = fuseSkipReason();
describe.skipIf(skip !== undefined)(`-j auto on the latency fixture${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let root: string;
  let mnt: string;
  let unmount: (() => void) | undefined;
  beforeAll(async () => {
    root = fastTmp('ioaio-conc-fuse-');
    // 1,111 directories of 4 files: enough walk for several windows
    for (let i = 0; i < 10; i++) makeWideTree(join(root, 'src', `t${i}`), 10, 10, 4);
    mnt = mkdtempSync(join(root, 'mnt-'));
    unmount = await mountLatency(join(root, 'src'), mnt, 2000, 256);
  }, 60_000);
  afterAll(() => {
    unmount?.();
    rmSync(root, { recursive: true, force: true });
  });

  it('moves treescan’s concurrency from its start (64 on FUSE) while the walk runs, and logs why', () => {
    const r = runBin('treescan', ['-q', '--summary', mnt], { env: cleanEnv({ IOAIO_DEBUG: 'concurrency' }) });
    expect(r.status, r.stderr).toBe(0);
    const m = AUTO.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [start, final, , highest, changes] = m!.slice(1).map(Number);
    expect(start).toBe(64);
    expect(changes, r.stderr).toBeGreaterThanOrEqual(1);
    // 256 in service at 2 ms each: more than 64 in flight pays
    expect(highest, r.stderr).toBeGreaterThan(64);
    expect(final, r.stderr).toBeGreaterThan(64);
    // each change is logged with the rate and latency behind it
    expect(r.stderr).toMatch(/ioaio: concurrency 64 -> \d+ \(grow\) at [\d.]+ s: \d+ units\/s, [\d.]+ ms a request, \d+ % busy/);
  });
});
