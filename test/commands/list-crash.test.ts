// Crash safety of the --from-list runs: cptree and rmtree killed with
// SIGKILL mid-run leave every file whole in at least one place, and the
// same command line run again finishes the job.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { midCopy, rsyncDiff, tempsIn } from '../helpers/cptree.js';
import { listAll, makeWide, RMTREE, rmtree } from '../helpers/rmtree.js';
import { fastTmp } from '../helpers/scan-tree.js';
import { ensureBuilt, plainEnv, ROOT } from '../helpers/treescan.js';

/** treescan -0 of root, less the entries the filter drops, written to file. */
function listOf(root: string, file: string, keep: (p: string) => boolean = () => true): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/treescan'), '-0', root], { env: plainEnv(), maxBuffer: 64 << 20 });
  expect(r.status, r.stderr.toString()).toBe(0);
  writeFileSync(file, Buffer.from(r.stdout.toString('latin1').split('\0').filter((p) => p && keep(p)).map((p) => p + '\0').join(''), 'latin1'));
}

describe('--from-list killed with SIGKILL, then run again', () => {
  let base: string;
  beforeAll(() => {
    base = fastTmp('ioaio-list-crash-');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('cptree: every file in DST is whole or a temporary; the same command line finishes the copy', async () => {
    const src = join(base, 'src');
    // enough data that the copy is still running when the kill comes
    for (let i = 0; i < 4; i++) {
      mkdirSync(join(src, `d${i}`), { recursive: true });
      writeFileSync(join(src, `d${i}`, 'big'), randomBytes(16 << 20));
      for (let f = 0; f < 20; f++) writeFileSync(join(src, `d${i}`, `f${f}`), `${i} ${f}`);
    }
    const list = join(base, 'copy.list');
    listOf(src, list);
    const dst = join(base, 'dst');
    const args = ['-j', '1', '--max-outstanding', '1', '-0', '--from-list', list, src, dst];
    const r = await midCopy(args, dst, (child) => child.kill('SIGKILL'));
    expect(r.signal).toBe('SIGKILL');
    expect(r.sawTemp).toBe(true);
    // what DST has, apart from temporaries, is the source's bytes, whole
    let whole = 0;
    for (const rel of listAll(dst).slice(1).map((p) => p.slice(dst.length + 1))) {
      const p = join(dst, rel);
      if (/\.ioaio-cp\.[0-9a-f]{16}$/.test(rel) || !lstatSync(p).isFile()) continue;
      expect(readFileSync(p).equals(readFileSync(join(src, rel))), rel).toBe(true);
      whole++;
    }
    expect(whole).toBeLessThan(4 * 21); // killed before the end
    const again = spawnSync(process.execPath, [join(ROOT, 'bin/cptree'), ...args], { env: plainEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(tempsIn(dst)).toEqual([]);
    expect(rsyncDiff(src, dst)).toBe('');
  });

  it('rmtree: an unlisted subtree is untouched; the same command line removes the rest of the list', async () => {
    ensureBuilt();
    const t = join(base, 'victim');
    // ~37k entries: on one thread, well over a tenth of a second
    makeWide(t, 6, 5, 3);
    const kept = join(t, 'd5');
    const keptBefore = listAll(kept);
    const list = join(base, 'rm.list');
    listOf(t, list, (p) => !p.startsWith(kept));
    const args = ['-j', '1', '-0', '--from-list', list, t];
    const child = spawn(process.execPath, [RMTREE, ...args], { env: plainEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    const top = readdirSync(t).length;
    while (readdirSync(t).length === top && child.exitCode === null) await new Promise((res) => setTimeout(res, 1));
    child.kill('SIGKILL');
    const [, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
    expect(sig).toBe('SIGKILL');
    expect(readdirSync(t).length).toBeGreaterThan(1); // killed halfway: listed entries are still there
    expect(listAll(kept)).toEqual(keptBefore);
    const again = rmtree(args);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(readdirSync(t)).toEqual(['d5']);
    expect(listAll(kept)).toEqual(keptBefore);
    expect(existsSync(t)).toBe(true);
  });
});
