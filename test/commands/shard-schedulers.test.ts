// --shard under real schedulers: a one-node Slurm (Debian's slurmctld,
// slurmd and munge, started by scripts/slurm-local.sh) runs an
// `sbatch --array=0-3` job of treescan, pstat, cptree and mvtree with
// --shard auto, and their --finalize as a job that depends on it; GNU parallel runs four
// shards at once, by {} and by its own PARALLEL_SEQ. The union of the
// shards' outputs is the single-host output, and the copy passes rsync
// -aHAX --checksum --dry-run with nothing to do. Where slurmd cannot start
// (not root, no packages) the Slurm test is skipped with that reason. And
// N processes at once on the latency FUSE fixture (1 ms an operation): the
// shares of the scan and of the copy through it add up to the whole.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, spawnBin } from '../helpers/cli.js';
import { rsyncDiff } from '../helpers/cptree.js';
import { fuseSkipReason, mountLatency } from '../helpers/fuse.js';
import { fastTmp, makeWideTree } from '../helpers/scan-tree.js';

const bin = (c: string) => join(ROOT, 'bin', c);
/** NUL-ended records, sorted (bytes as latin1). */
const records = (b: Buffer) => b.toString('latin1').split('\0').filter(Boolean).sort();
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`]).status === 0;

let base: string;
let src: string;
beforeAll(() => {
  base = fastTmp('ioaio-sched-');
  src = join(base, 'src');
  // 300 directories at depth 2 (a cut there for 4 shards) and 1,800 files
  makeWideTree(src, 10, 30, 6);
  writeFileSync(join(src, 'top'), 'top');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function wholeScan(): string[] {
  return records(execFileSync(process.execPath, [bin('treescan'), '-0', src], { env: cleanEnv(), maxBuffer: 64 << 20 }));
}

describe('GNU parallel', () => {
  it.skipIf(!has('parallel'))('runs four shards at once, by {} and by PARALLEL_SEQ, and they add up to the whole', () => {
    const out = join(base, 'parallel');
    mkdirSync(out);
    const node = process.execPath;
    const run = (cmd: string) => {
      const r = spawnSync('parallel', ['-j4', '--halt', 'now,fail=1', cmd, ':::', '0', '1', '2', '3'], { env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
    };
    run(`${node} ${bin('treescan')} -0 --shard {}/4 ${src} > ${out}/by-arg-{}`);
    // PARALLEL_SEQ counts from 1: --shard auto takes it (the count from --shard-count)
    run(`${node} ${bin('treescan')} -0 --shard auto --shard-count 4 ${src} > ${out}/by-seq-{#}`);
    const union = (prefix: string) => readdirSync(out).filter((f) => f.startsWith(prefix)).flatMap((f) => records(readFileSync(join(out, f)))).sort();
    const whole = wholeScan();
    expect(union('by-arg-')).toEqual(whole);
    expect(union('by-seq-')).toEqual(whole);
    expect(readdirSync(out).filter((f) => f.startsWith('by-seq-')).length).toBe(4);
    // mvtree: four shards of a move at once, then its --finalize: the tree is whole in its new place
    const from = join(base, 'parallel-mv-src');
    const to = join(base, 'parallel-mv-dst');
    execFileSync('cp', ['-a', src, from]);
    run(`${node} ${bin('mvtree')} --shard {}/4 ${from} ${to}`);
    const fin = spawnSync(node, [bin('mvtree'), '--finalize', '--shard-count', '4', from, to], { env: cleanEnv(), encoding: 'utf8' });
    expect([fin.status, fin.stderr]).toEqual([0, '']);
    expect(existsSync(from)).toBe(false);
    expect(rsyncDiff(src, to)).toBe('');
  });
});

const noFuse = fuseSkipReason();
describe.skipIf(noFuse !== undefined)(`on the latency FUSE fixture${noFuse ? ` (skipped: ${noFuse})` : ''}`, () => {
  it('three shard processes at once: the scan and the copy add up to the whole', async () => {
    const mnt = join(base, 'mnt');
    mkdirSync(mnt);
    const unmount = await mountLatency(src, mnt, 1000, 64);
    try {
      const run = (args: string[]) => spawnBin(args[0]!, args.slice(1)).then((r) => ({ code: r.code, out: r.stdout, err: r.stderr }));
      const whole = await run([bin('treescan'), '-0', mnt]);
      const parts = await Promise.all([0, 1, 2].map((i) => run([bin('treescan'), '-0', '--shard', `${i}/3`, mnt])));
      for (const p of parts) expect(p.code, p.err).toBe(0);
      expect(parts.flatMap((p) => records(p.out)).sort()).toEqual(records(whole.out));
      const dst = join(base, 'fuse-copy');
      const copies = await Promise.all([0, 1, 2].map((i) => run([bin('cptree'), '--shard', `${i}/3`, mnt, dst])));
      for (const p of copies) expect(p.code, p.err).toBe(0);
      const fin = await run([bin('cptree'), '--finalize', '--shard-count', '3', mnt, dst]);
      expect(fin.code, fin.err).toBe(0);
      expect(rsyncDiff(src, dst)).toBe('');
    } finally {
      unmount();
    }
  }, 120_000);
});

describe('Slurm', () => {
  let skip: string | undefined;
  let slurm: string | undefined;
  beforeAll(() => {
    slurm = fastTmp('ioaio-slurm-');
    if (process.getuid?.() !== 0) skip = 'not root: slurmd runs jobs as their submitter';
    else if (!has('sbatch') || !has('slurmd') || !has('munged')) skip = 'slurm-wlm or munge is not installed (scripts/test-deps.sh installs them)';
    else {
      const r = spawnSync('sh', [join(ROOT, 'scripts/slurm-local.sh'), 'start', slurm], { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) skip = `the one-node Slurm did not start: ${r.stderr.trim()}`;
    }
    if (skip) console.warn(`skipping the Slurm test: ${skip}`);
  });
  afterAll(() => {
    if (slurm) {
      spawnSync('sh', [join(ROOT, 'scripts/slurm-local.sh'), 'stop', slurm], { timeout: 30_000 });
      rmSync(slurm, { recursive: true, force: true });
    }
  });

  it('sbatch --array=0-3 with --shard auto, then --finalize as a dependent job: the union is the whole, the copy rsync-identical', (ctx) => {
    if (skip) return ctx.skip();
    const env = { ...cleanEnv(), SLURM_CONF: join(slurm!, 'slurm.conf') };
    const out = join(base, 'slurm-out');
    mkdirSync(out);
    const list = join(base, 'slurm-list');
    writeFileSync(list, execFileSync(process.execPath, [bin('treescan'), '-0', src], { env: cleanEnv(), maxBuffer: 64 << 20 }));
    const dst = join(base, 'slurm-copy');
    const mvSrc = join(base, 'slurm-mv-src');
    const mvDst = join(base, 'slurm-mv-dst');
    execFileSync('cp', ['-a', src, mvSrc]);
    const node = process.execPath;
    const job = join(base, 'shards.sh');
    writeFileSync(job, `#!/bin/sh
set -e
i=$SLURM_ARRAY_TASK_ID
${node} ${bin('treescan')} -0 --shard auto ${src} > ${out}/treescan-$i
${node} ${bin('pstat')} -0 --printf '%n %s\\0' --shard auto --from ${list} > ${out}/pstat-$i
${node} ${bin('cptree')} --shard auto --summary-json ${src} ${dst} 2> ${out}/cptree-$i.json
${node} ${bin('mvtree')} --shard auto --summary-json ${mvSrc} ${mvDst} 2> ${out}/mvtree-$i.json
`);
    chmodSync(job, 0o755);
    const finalize = join(base, 'finalize.sh');
    writeFileSync(finalize, `#!/bin/sh
set -e
${node} ${bin('cptree')} --finalize --shard-count 4 --summary ${src} ${dst}
${node} ${bin('mvtree')} --finalize --shard-count 4 ${mvSrc} ${mvDst}
`);
    chmodSync(finalize, 0o755);
    const sbatch = (args: string[]) => {
      const r = spawnSync('sbatch', args, { env, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `sbatch ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout.trim().split(';')[0]!;
    };
    const array = sbatch(['--parsable', '--array=0-3', '-o', join(out, 'slurm-%A_%a.out'), job]);
    // --wait: returns once the finalize job (and so the array before it) has ended
    sbatch(['--parsable', '--wait', `--dependency=afterok:${array}`, '-o', join(out, 'finalize.out'), finalize]);
    for (let i = 0; i < 4; i++) expect(readFileSync(join(out, `slurm-${array}_${i}.out`), 'utf8'), `task ${i}`).toBe('');
    expect(readFileSync(join(out, 'finalize.out'), 'utf8')).toMatch(/^cptree: finalized 4 shards: \d+ shared directories, 0 errors/);

    const union = (name: string) => [0, 1, 2, 3].flatMap((i) => records(readFileSync(join(out, `${name}-${i}`)))).sort();
    expect(union('treescan')).toEqual(wholeScan());
    const pstatWhole = records(execFileSync(process.execPath, [bin('pstat'), '-0', '--printf', '%n %s\\0', '--from', list], { env: cleanEnv(), maxBuffer: 64 << 20 }));
    expect(union('pstat')).toEqual(pstatWhole);
    expect(rsyncDiff(src, dst)).toBe('');
    // each task did a share: the four summaries add up to the tree's files
    const merged = JSON.parse(execFileSync(process.execPath, [bin('ioaio'), 'summary-merge', ...[0, 1, 2, 3].map((i) => join(out, `cptree-${i}.json`))], { env: cleanEnv() }).toString());
    expect(merged.files).toBe(1801);
    expect(merged.shards).toEqual(['0of4', '1of4', '2of4', '3of4']);
    expect(existsSync(join(dst, 'top'))).toBe(true);
    // the move: SRC gone, the tree whole in its new place, each file renamed by one shard
    expect(existsSync(mvSrc)).toBe(false);
    expect(rsyncDiff(src, mvDst)).toBe('');
    const moved = JSON.parse(execFileSync(process.execPath, [bin('ioaio'), 'summary-merge', ...[0, 1, 2, 3].map((i) => join(out, `mvtree-${i}.json`))], { env: cleanEnv() }).toString());
    expect([moved.renamed, moved.errors]).toEqual([1801, 0]);
  }, 180_000);
});
