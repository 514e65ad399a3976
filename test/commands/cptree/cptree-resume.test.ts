// The same cptree command line run again after kill -9 resumes: the half-made
// copy holds a marker (beside it) naming SRC by device and inode, so the
// second run continues into it instead of nesting DST/basename(SRC) inside,
// skips what is whole there, and removes the marker once the copy is whole.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPTREE, cptree, midCopy, tempsIn, treeDiff } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { ensureBuilt, plainEnv } from '../../helpers/treescan.js';

let work: string;
let src: string;

/** 40 directories of 400 small files: about a second with one request in flight. */
function makeSrc(root: string): void {
  execFileSync('sh', ['-c', 'for d in $(seq 1 40); do mkdir -p d$d/sub; for f in $(seq 1 400); do echo "$d $f" > d$d/f$f; done; echo deep > d$d/sub/x; done'], { cwd: root });
}

const markers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.ioaio-resume.'));

/** Starts cptree, kills it with SIGKILL once dst holds `entries` top-level
 *  entries (a moment of the copy, whatever this machine's speed), says
 *  whether a marker was there then. */
async function killAt(args: string[], dst: string, entries: number, markerDir: string): Promise<boolean> {
  ensureBuilt();
  const child = spawn(process.execPath, [CPTREE, ...args], { env: plainEnv(), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 20_000;
  while (child.exitCode === null && Date.now() < deadline && !(existsSync(dst) && readdirSync(dst).length >= entries)) await new Promise((r) => setTimeout(r, 1));
  const marked = markers(markerDir).length > 0;
  child.kill('SIGKILL');
  await exited;
  return marked;
}

beforeAll(() => {
  ensureBuilt();
  work = fastTmp('ioaio-cpresume-');
  src = join(work, 'src');
  mkdirSync(src);
  makeSrc(src);
});
afterAll(() => removeTree(work));

describe('cptree SRC DST run again after kill -9', () => {
  it('at several moments: the identical command finishes the same copy, exact, no nesting, no temporaries or marker', async () => {
    let caught = 0;
    // at 1, 10, 25 and 38 of the 40 directories
    for (const [i, entries] of [1, 10, 25, 38].entries()) {
      const base = join(work, `k${i}`);
      mkdirSync(base);
      const dst = join(base, 'copy');
      const args = ['-j', '1', '--max-outstanding', '1', src, dst];
      // a run that finished before its kill removed its marker: cp's rule would then nest (tested below)
      if (!(await killAt(args, dst, entries, base))) continue;
      caught++;
      const again = cptree(['--summary', ...args]);
      expect([again.status, again.stderr.replace(/ [\d.]+ s, -j .*\n$/, '')]).toEqual([0, expect.stringMatching(/^cptree: \d+ files .*, \d+ up to date, 0 errors,$/)]);
      expect(treeDiff(src, dst)).toEqual([]);
      expect(existsSync(join(dst, 'src'))).toBe(false);
      expect(tempsIn(dst)).toEqual([]);
      expect(markers(base)).toEqual([]);
    }
    // most kills came while the copy ran (else the test proved little)
    expect(caught).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('into an existing directory (DST/basename(SRC)): the same command finishes DST/src, not DST/src/src', async () => {
    const dst = join(work, 'into');
    mkdirSync(dst);
    const args = ['-j', '1', '--max-outstanding', '1', src, dst];
    const marked = await killAt(args, join(dst, 'src'), 10, dst);
    expect(marked).toBe(true);
    expect(existsSync(join(dst, 'src'))).toBe(true);
    const again = cptree(args);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(treeDiff(src, join(dst, 'src'))).toEqual([]);
    expect(existsSync(join(dst, 'src', 'src'))).toBe(false);
    expect(markers(dst)).toEqual([]);
  }, 60_000);

  it('a whole copy leaves no marker, so the command again follows cp (DST/basename(SRC)); a dry run writes none', () => {
    const base = join(work, 'whole');
    mkdirSync(base);
    const dst = join(base, 'copy');
    expect(cptree([src, dst]).status).toBe(0);
    expect(markers(base)).toEqual([]);
    expect(cptree(['-n', src, join(base, 'dry')]).status).toBe(0);
    expect(markers(base)).toEqual([]);
    expect(existsSync(join(base, 'dry'))).toBe(false);
    expect(cptree([src, dst]).status).toBe(0);
    expect(treeDiff(src, join(dst, 'src'))).toEqual([]);
  });

  it('a SRC replaced meanwhile (the same path, another inode) is not resumed into: cp\'s rule applies', async () => {
    const base = join(work, 'replaced');
    mkdirSync(base);
    const own = join(base, 'src');
    execFileSync('cp', ['-a', src, own]);
    const dst = join(base, 'copy');
    const args = ['-j', '1', '--max-outstanding', '1', own, dst];
    expect(await killAt(args, dst, 10, base)).toBe(true);
    renameSync(own, join(base, 'old'));
    mkdirSync(own);
    writeFileSync(join(own, 'new'), 'new');
    const again = cptree(args);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dst, 'src', 'new'), 'utf8')).toBe('new');
  }, 60_000);

  it('SRC and DST that are not UTF-8 are taken as their exact bytes, and resume too', async () => {
    const bad = Buffer.from([0x73, 0xff, 0x0a, 0x62]);
    const at = (dir: string, n: Buffer) => Buffer.concat([Buffer.from(`${dir}/`), n]);
    const base = join(work, 'bytes');
    mkdirSync(base);
    execFileSync('cp', ['-a', src, join(base, 'plain')]);
    renameSync(join(base, 'plain'), at(base, bad));
    const esc = (b: Buffer) => [...b].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('');
    const run = () =>
      spawnSync('bash', ['-c', `exec "$0" "$1" -j 1 --max-outstanding 1 "$2/$(printf '%b' '${esc(bad)}')" "$2/$(printf '%b' '${esc(Buffer.from('dst-'))}${esc(bad)}')"`, process.execPath, CPTREE, base], { env: plainEnv(), timeout: 60_000 });
    const r = run();
    expect([r.status, r.stderr.toString()]).toEqual([0, '']);
    const dst = at(base, Buffer.concat([Buffer.from('dst-'), bad]));
    expect(readFileSync(Buffer.concat([dst, Buffer.from('/d1/f1')]), 'utf8')).toBe('1 1\n');
    expect(markers(base)).toEqual([]);
  }, 60_000);
});

describe('two cptree runs into one destination', () => {
  it('started together: both exit 0 and the tree is exact, with no temporaries or marker left', async () => {
    for (let i = 0; i < 3; i++) {
      const base = join(work, `pair${i}`);
      mkdirSync(base);
      const dst = join(base, 'copy');
      ensureBuilt();
      const start = () => {
        const child = spawn(process.execPath, [CPTREE, src, dst], { env: plainEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        return new Promise<[number | null, string]>((resolve) => child.on('exit', (code) => resolve([code, err])));
      };
      const both = await Promise.all([start(), start()]);
      expect(both).toEqual([[0, ''], [0, '']]);
      expect(treeDiff(src, dst)).toEqual([]);
      expect(existsSync(join(dst, 'src'))).toBe(false);
      expect(tempsIn(dst)).toEqual([]);
      expect(markers(base)).toEqual([]);
    }
  }, 120_000);

  it("a run's sweep removes the temporaries of writers that are gone, and keeps a live writer's", () => {
    const dst = join(work, 'sweep');
    mkdirSync(join(dst, 'd1'), { recursive: true });
    const live = spawn('sleep', ['30']);
    const dead = spawnSync('true').pid!;
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const liveTemp = `.ioaio-cp.${hex(live.pid!)}0000abcd`;
    const deadTemp = `.ioaio-cp.${hex(dead)}0000abcd`;
    try {
      for (const t of [liveTemp, deadTemp]) writeFileSync(join(dst, 'd1', t), 'partial');
      const r = cptree(['-T', src, dst]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      const left = readdirSync(join(dst, 'd1')).filter((n) => n.startsWith('.ioaio-cp.'));
      expect(left).toEqual([liveTemp]);
    } finally {
      live.kill();
    }
  });

  it('a temporary removed under its writer (a sweep on another host) is made again: the copy still ends whole', async () => {
    const from = join(work, 'vsrc');
    const dst = join(work, 'vdst');
    mkdirSync(from);
    const data = Buffer.alloc(256 << 20, 0x5a);
    writeFileSync(join(from, 'f'), data);
    let removed: string[] = [];
    const r = await midCopy([from, dst], dst, () => {
      removed = tempsIn(dst, true);
      for (const t of removed) rmSync(join(dst, t));
    });
    expect(removed.length).toBe(1);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dst, 'f')).equals(data)).toBe(true);
    expect(tempsIn(dst)).toEqual([]);
    removeTree(from);
    removeTree(dst);
  });
});
