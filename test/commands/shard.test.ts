// --shard with the real bin/ commands on real temporary trees: the shares
// of N shards, run side by side as separate processes, together are the
// unsharded run's output, each entry once; cptree's shards and its
// finalize step make a copy rsync finds nothing to change in, also after a
// shard is killed and run again; rmtree's shards and one plain run remove
// all; ioaio summary-merge adds the shards' summaries up.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runBin, spawnBin } from '../helpers/cli.js';
import { midCopy, rsyncDiff, treeDiff } from '../helpers/cptree.js';
import { fastTmp } from '../helpers/scan-tree.js';

/** 10 top directories of 30 each (300 at depth 2: a cut there for N <= 4),
 *  files at every level, symlinks, an empty directory, an odd name, and a
 *  hard-link pair inside one subtree (so inside one shard's share). */
function makeShardTree(root: string): void {
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 10; i++) {
    const d = join(root, `d${i}`);
    for (let j = 0; j < 30; j++) {
      const e = join(d, `e${j}`);
      mkdirSync(join(e, 'deep'), { recursive: true });
      for (let f = 0; f < 3; f++) writeFileSync(join(e, `f${f}`), `${i}.${j}.${f}\n`.repeat(f + 1));
      writeFileSync(join(e, 'deep', 'g'), 'g');
    }
    writeFileSync(join(d, 'top-file'), `top ${i}`);
    symlinkSync(`e0/f0`, join(d, 'link'));
  }
  writeFileSync(join(root, 'readme'), 'hello');
  mkdirSync(join(root, 'empty'));
  // a name with a newline and a byte that is not UTF-8
  writeFileSync(Buffer.concat([Buffer.from(root + '/'), Buffer.from('odd\nname\xff', 'latin1')]), 'odd');
  linkSync(join(root, 'd3', 'e7', 'f1'), join(root, 'd3', 'e7', 'deep', 'f1-link'));
  // times the copy must carry over, at the shared levels too
  utimesSync(join(root, 'd5'), 1_000_000, 1_000_000);
  utimesSync(root, 2_000_000, 2_000_000);
}

/** Runs bin/<prog> once per shard, all at once; resolves to their results. */
function shards(prog: string, n: number, args: (i: number) => string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => spawnBin(prog, args(i))));
}

/** NUL-ended records, sorted (bytes as latin1). */
const records = (b: Buffer) => b.toString('latin1').split('\0').filter(Boolean).sort();

/** bin/<prog> args; stdout as bytes (names need not be UTF-8). */
function runRaw(prog: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', prog), ...args], { env, timeout: 60_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** The environment without any scheduler's shard variables. */
function noScheduler(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const k of Object.keys(env)) if (/^(SLURM_|JOB_COMPLETION_INDEX$|PARALLEL_|IOAIO_SHARD)/.test(k) && !(k in extra)) delete env[k];
  return env;
}

describe('--shard', () => {
  let base: string;
  let src: string;
  beforeAll(() => {
    base = fastTmp('ioaio-shard-');
    src = join(base, 'src');
    makeShardTree(src);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  for (const n of [1, 3, 8]) {
    it(`treescan: ${n} shards list every entry once (-0, and --json -s)`, async () => {
      const whole = runRaw('treescan', ['-0', src]);
      expect(whole.status, whole.stderr).toBe(0);
      const parts = await shards('treescan', n, (i) => ['-0', '--shard', `${i}/${n}`, src]);
      for (const p of parts) expect(p.code, p.stderr).toBe(0);
      const union = parts.flatMap((p) => records(p.stdout)).sort();
      expect(union.length).toBeGreaterThan(1500);
      expect(union).toEqual(records(whole.stdout));
      // no share is empty on a tree this size, and none holds much more than its part
      const sizes = parts.map((p) => records(p.stdout).length);
      if (n > 1) expect(Math.max(...sizes) / (union.length / n)).toBeLessThan(1.5);
      const json = await shards('treescan', n, (i) => ['--json', '-s', '--shard', `${i}/${n}`, src]);
      const lines = json.flatMap((p) => p.stdout.toString().split('\n').filter(Boolean)).sort();
      expect(lines).toEqual(runRaw('treescan', ['--json', '-s', src]).stdout.toString().split('\n').filter(Boolean).sort());
    });
  }

  it('treescan: --max-depth, -d and --exclude compose with the shares', async () => {
    for (const extra of [['--max-depth', '1'], ['--max-depth', '2'], ['-d'], ['--exclude', 'deep'], ['--exclude', 'd3/e1*']]) {
      const whole = records(runRaw('treescan', ['-0', ...extra, src]).stdout);
      const parts = await shards('treescan', 3, (i) => ['-0', '--shard', `${i}/3`, ...extra, src]);
      expect(parts.flatMap((p) => records(p.stdout)).sort(), extra.join(' ')).toEqual(whole);
    }
  });

  it('pstat: the shards of one list stat every path once', async () => {
    const list = join(base, 'list0');
    writeFileSync(list, runRaw('treescan', ['-0', src]).stdout);
    // -c with NUL ends: a name may hold a newline
    const whole = runRaw('pstat', ['-0', '--printf', '%n %s %F\\0', '--from', list]);
    expect(whole.status, whole.stderr).toBe(0);
    const parts = await shards('pstat', 4, (i) => ['-0', '--printf', '%n %s %F\\0', '--shard', `${i}/4`, '--summary-json', '--from', list]);
    expect(parts.flatMap((p) => records(p.stdout)).sort()).toEqual(records(whole.stdout));
    expect(records(whole.stdout).length).toBeGreaterThan(1500);
    // summary-merge: the shards' summaries add up to the whole list's
    const summaries = join(base, 'pstat-summaries');
    writeFileSync(summaries, parts.map((p) => p.stderr).join(''));
    const merged = runBin('ioaio', ['summary-merge', summaries]);
    expect(merged.status, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout);
    const one = JSON.parse(runBin('pstat', ['-0', '-c', '', '--summary-json', '--from', list]).stderr);
    for (const k of ['paths', 'errors', 'types', 'bytes', 'allocatedBytes', 'sizeHistogram']) expect(m[k], k).toEqual(one[k]);
    // (files made together share an mtime: which one's path is shown may differ)
    for (const k of ['oldestMtime', 'newestMtime']) expect({ sec: m[k].sec, nsec: m[k].nsec }, k).toEqual({ sec: one[k].sec, nsec: one[k].nsec });
    expect(m.shards).toEqual(['0of4', '1of4', '2of4', '3of4']);
    // the same shard twice would count twice
    writeFileSync(summaries, parts[0]!.stderr + parts[0]!.stderr);
    const twice = runBin('ioaio', ['summary-merge', summaries]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/shard 0of4 appears twice/);
  });

  it('cptree: shards and --finalize copy the tree whole; finalize refuses before every shard is done', async () => {
    const dst = join(base, 'copy');
    const parts = await shards('cptree', 2, (i) => ['--shard', `${i}/3`, src, dst]);
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    const early = runBin('cptree', ['--finalize', '--shard-count', '3', src, dst]);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/^cptree: .*copy: shard 2 of 3 has no done stamp .*run it until whole, then --finalize/);
    const last = runBin('cptree', ['--shard', '2/3', '--summary-json', src, dst]);
    expect(last.status, last.stderr).toBe(0);
    expect(JSON.parse(last.stderr).shard).toBe('2of3');
    const fin = runBin('cptree', ['--finalize', '--shard-count', '3', '--summary', src, dst]);
    expect(fin.status, fin.stderr).toBe(0);
    expect(fin.stderr).toMatch(/finalized 3 shards: \d+ shared directories, 0 errors/);
    expect(rsyncDiff(src, dst)).toBe('');
    expect(treeDiff(src, dst)).toEqual([]);
    // nothing of ours is left beside the copy
    expect(readdirSync(base).filter((n) => n.startsWith('.ioaio-'))).toEqual([]);
  });

  it('cptree: a shard killed mid-copy and run again converges; the copy is whole', async () => {
    const big = join(base, 'big');
    // enough data that the copy is still running when the kill comes
    for (let i = 0; i < 4; i++) {
      mkdirSync(join(big, `d${i}`), { recursive: true });
      for (let f = 0; f < 2; f++) writeFileSync(join(big, `d${i}`, `big${f}`), randomBytes(16 << 20));
      for (let f = 0; f < 50; f++) writeFileSync(join(big, `d${i}`, `f${f}`), `${i} ${f}`);
    }
    const dst = join(base, 'big-copy');
    const args = ['-j', '1', '--max-outstanding', '1', '--shard', '1/2', big, dst];
    const r = await midCopy(args, dst, (child) => child.kill('SIGKILL'));
    expect(r.signal).toBe('SIGKILL');
    // its marker is there, with its shard's tag: the re-run resumes
    expect(readdirSync(base).some((n) => /^\.ioaio-resume\.[0-9a-f]{16}\.1of2$/.test(n))).toBe(true);
    for (const a of [['--shard', '0/2', big, dst], ['--shard', '1/2', big, dst]]) {
      const again = runBin('cptree', a);
      expect(again.status, again.stderr).toBe(0);
    }
    const fin = runBin('cptree', ['--finalize', '--shard-count', '2', big, dst]);
    expect(fin.status, fin.stderr).toBe(0);
    expect(rsyncDiff(big, dst)).toBe('');
  });

  it('lists as interchange: treescan --json feeds pstat --from; a treescan list feeds cptree --from-list, whole or by shards', async () => {
    const nul = join(base, 'list-nul');
    const json = join(base, 'list-json');
    writeFileSync(nul, runRaw('treescan', ['-0', src]).stdout);
    writeFileSync(json, runRaw('treescan', ['--json', src]).stdout);
    const a = runRaw('pstat', ['-0', '--printf', '%n %s\\0', '--from', nul]);
    const b = runRaw('pstat', ['--printf', '%n %s\\0', '--from', json]);
    expect(b.status, b.stderr).toBe(0);
    // (--json names a directory without the trailing slash the plain list has)
    expect(records(b.stdout)).toEqual(records(a.stdout).map((r) => r.replace('/ ', ' ')).sort());
    // the odd name came through --json as path_b64
    expect(records(b.stdout).some((r) => r.includes('odd\nname\xff'))).toBe(true);

    const whole = join(base, 'list-copy');
    const c = runRaw('cptree', ['--from-list', nul, '-0', '--summary', src, whole]);
    expect(c.status, c.stderr).toBe(0);
    expect(rsyncDiff(src, whole)).toBe('');

    const sharded = join(base, 'list-shards');
    const parts = await shards('cptree', 3, (i) => ['--from-list', json, '--shard', `${i}/3`, src, sharded]);
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    const fin = runRaw('cptree', ['--finalize', '--shard-count', '3', '--from-list', json, src, sharded]);
    expect(fin.status, fin.stderr).toBe(0);
    // (the hard-link pair's names fall in two shards' shares: two copies, so -H differs there only)
    expect(rsyncDiff(src, sharded).split('\n').filter((l) => l && !l.includes('f1-link') && !/ d3\/e7\/f1$/.test(l))).toEqual([]);
    const bad = join(base, 'list-bad');
    writeFileSync(bad, '{"path": 3}\n');
    const r = runRaw('cptree', ['--from-list', bad, src, join(base, 'list-bad-copy')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/list-bad: line 1: no "path" or "path_b64"/);
    // a path that would leave SRC (and DST) is refused, named, and the rest is copied
    const out = join(base, 'list-dotdot-copy');
    const dots = runBin('cptree', ['--from-list', '-', src, out], { input: `${src}/readme\n../x\n` });
    expect([dots.status, dots.stderr]).toEqual([1, "cptree: ../x: a '.', '..' or empty component: no path below the root; skipped\n"]);
    expect(readFileSync(join(out, 'readme'), 'utf8')).toBe('hello');
  });

  it('rmtree: the shards remove their shares, one plain run the directories they shared', async () => {
    const victim = join(base, 'victim');
    makeShardTree(victim);
    const total = records(runRaw('treescan', ['-0', victim]).stdout).length;
    const parts = await shards('rmtree', 3, (i) => ['--shard', `${i}/3`, '--summary-json', victim]);
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    // what is left is only the directories every shard listed
    const left = records(runRaw('treescan', ['-0', '-f', victim]).stdout);
    expect(left).toEqual([]);
    const rest = runBin('rmtree', ['--summary-json', victim]);
    expect(rest.status, rest.stderr).toBe(0);
    expect(existsSync(victim)).toBe(false);
    const summaries = join(base, 'rm-summaries');
    writeFileSync(summaries, parts.map((p) => p.stderr).join('') + rest.stderr);
    const m = JSON.parse(runBin('ioaio', ['summary-merge', summaries]).stdout);
    expect(m.files + m.dirs + m.symlinks + m.others).toBe(total);
    expect(m.errors).toBe(0);
  });

  it('rmtree --from-list: the shards of one treescan list remove what it names and nothing else', async () => {
    const victim = join(base, 'list-victim');
    makeShardTree(victim);
    // (treescan marks a directory with a trailing '/')
    const all = records(runRaw('treescan', ['-0', victim]).stdout).map((p) => p.replace(/\/$/, ''));
    // the list leaves out one top-level directory and everything below it
    const kept = all.filter((p) => p !== victim).sort()[0]!;
    const listed = all.filter((p) => p !== kept && !p.startsWith(kept + '/'));
    const list = join(base, 'rm.list');
    writeFileSync(list, Buffer.from(listed.map((p) => p + '\0').join(''), 'latin1'));
    const parts = await shards('rmtree', 3, (i) => ['--shard', `${i}/3`, '-0', '--from-list', list, victim]);
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    // ROOT stays, and the unlisted subtree with it, whole
    expect(records(runRaw('treescan', ['-0', victim]).stdout).map((p) => p.replace(/\/$/, ''))).toEqual(all.filter((p) => p === victim || p === kept || p.startsWith(kept + '/')));
    // a path that would leave ROOT is refused, named, and nothing else goes
    const bad = runBin('rmtree', ['--from-list', '-', victim], { input: '../x\n' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^rmtree: \.\.\/x: a '\.', '\.\.' or empty component/);
    expect(runBin('rmtree', ['--from-list', list, victim, src]).stderr).toMatch(/--from-list takes one PATH/);
    const gone = runBin('rmtree', ['--from-list', list, join(base, 'no-such')]);
    expect([gone.status, gone.stderr]).toEqual([2, `rmtree: ${join(base, 'no-such')}: no such directory\n`]);
    expect(existsSync(kept)).toBe(true);
  });

  it('refuses what it cannot tell, in one line with the reason', () => {
    const t = runBin('treescan', ['--shard', 'auto', src], { env: noScheduler() });
    expect(t.status).toBe(2);
    expect(t.stderr.split('\n')[0]).toBe('treescan: --shard auto: no shard index in the environment (looked for IOAIO_SHARD_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PARALLEL_SEQ)');
    expect(runBin('pstat', ['--shard', '3/3', '/']).stderr).toMatch(/^pstat: --shard: shard index 3 is not in 0\.\.2/);
    expect(runBin('cptree', ['--shard', '0/2', '--delete', src, join(base, 'x')]).stderr).toMatch(/--shard and --delete exclude each other/);
    expect(runBin('cptree', ['--finalize', src, join(base, 'x')]).stderr).toMatch(/--finalize needs the number of shards/);
    expect(runBin('treescan', ['--shard', '0/2', '-L', src]).stderr).toMatch(/--shard and -L exclude each other/);
    // a Slurm array task's index and count, from its environment
    const s = runRaw('treescan', ['-0', '--shard', 'auto', src], noScheduler({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '3' }));
    expect(s.status, s.stderr).toBe(0);
    expect(records(s.stdout)).toEqual(records(runRaw('treescan', ['-0', '--shard', '1/3', src]).stdout));
  });
});
