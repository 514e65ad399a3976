// Numbers past 2^53: { bigint: true } stats against Node's own
// fs.statSync(…, { bigint: true }), and pstat's and treescan's output
// against GNU stat, on a sparse tmpfs file that claims 2^53 + 1 bytes;
// an inode number past 2^53 (none can be made here) through the JSON writer.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio, BigIntStats, Stats } from '../../src/aio/index.js';
import { jsonLine, statJson } from '../../src/cli/stat-json.js';

const HUGE = 2n ** 53n + 1n;
const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;
let file: string;
let made = false;

beforeAll(() => {
  dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ioaio-big-'));
  file = join(dir, 'huge');
  writeFileSync(file, '');
  try {
    execFileSync('truncate', ['-s', String(HUGE), file]);
    made = statSync(file, { bigint: true }).size === HUGE;
  } catch {
    made = false; // a filesystem whose files cannot be that big
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('numbers past 2^53', () => {
  it('{ bigint: true } gives what Node\'s fs gives, exactly, for stat, lstat and fstat', async () => {
    if (!made) return void console.warn(`skipped: ${dir} cannot hold a ${HUGE}-byte sparse file`);
    const node = statSync(file, { bigint: true });
    const ours = await aio.stat(file, { bigint: true });
    expect(ours).toBeInstanceOf(BigIntStats);
    for (const k of ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'blksize', 'blocks', 'atimeNs', 'mtimeNs', 'ctimeNs'] as const) {
      expect([k, ours[k]]).toEqual([k, node[k]]);
    }
    expect(ours.isFile()).toBe(true);
    expect((await aio.lstat(file, { bigint: true })).size).toBe(HUGE);
    const fd = openSync(file, 'r');
    try {
      expect((await aio.fstat(fd, { bigint: true })).size).toBe(HUGE);
    } finally {
      closeSync(fd);
    }
    // the number form rounds, as any double; its exact getter does not
    const plain = await aio.stat(file);
    expect(plain).toBeInstanceOf(Stats);
    expect(plain.size).toBe(2 ** 53);
    expect(plain.sizeExact).toBe(HUGE);
    expect(plain.inoExact).toBe(node.ino);
  });

  it('pstat -c, pstat --json and treescan --json -s print it as GNU stat does, digit for digit', () => {
    if (!made) return void console.warn('skipped: no such file here');
    const gnu = execFileSync('stat', ['-c', '%s %i', file], { encoding: 'utf8' }).trim();
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: '' };
    const c = spawnSync(join(ROOT, 'bin/pstat'), ['-c', '%s %i', file], { encoding: 'utf8', env });
    expect(c.stdout.trim()).toBe(gnu);
    const j = spawnSync(join(ROOT, 'bin/pstat'), ['--json', file], { encoding: 'utf8', env });
    expect(j.stdout).toContain(`"size":${HUGE}`);
    const t = spawnSync(join(ROOT, 'bin/treescan'), ['--json', '-s', dir], { encoding: 'utf8', env });
    expect(t.stdout).toContain(`"size":${HUGE}`);
  });

  it('an inode number past 2^53 is written whole, and lines without one as before', () => {
    const ino = 0x1234_5678_9abc_def1n; // > 2^53
    const f = new Float64Array(22);
    f[1] = Number(ino); // rounded
    f[2] = 0o100644;
    f[16] = -1;
    f[18] = Number(ino >> 32n);
    f[19] = Number(ino & 0xffff_ffffn);
    const st = new Stats(f, 0);
    expect(st.needsBigint).toBe(true);
    const line = jsonLine({ path: 'x', ...statJson(st) });
    expect(line).toContain(`"ino":${ino},`);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line).path).toBe('x'); // still JSON
    const small = new Float64Array(22);
    small[1] = 42; small[19] = 42; small[16] = -1;
    expect(jsonLine({ path: '\\u0000 not a marker', ...statJson(new Stats(small, 0)) })).toBe(JSON.stringify({ path: '\\u0000 not a marker', ...statJson(new Stats(small, 0)) }) + '\n');
  });
});
