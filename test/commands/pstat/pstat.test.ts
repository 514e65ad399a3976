// The real bin/pstat against GNU stat, on real files.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../../helpers/child.js';
import { makeTree, removeTree } from '../../helpers/tree.js';

const BIN = fileURLToPath(new URL('../../../bin/pstat', import.meta.url));
const root = makeTree({ 'a.txt': 'hello', 'empty': '', dir: { 'x.c': 'int x;' }, 'sp ace': '1' });
const odd = Buffer.concat([Buffer.from(`${root}/odd-`), Buffer.from([0xff, 0x0a, 0x41])]);
const paths: Buffer[] = [];

beforeAll(() => {
  ensureDist();
  writeFileSync(odd, 'odd');
  symlinkSync('a.txt', join(root, 'ln'));
  mkdirSync(join(root, 'deep/er'), { recursive: true });
  spawnSync('mkfifo', [join(root, 'fifo')]);
  for (const n of ['a.txt', 'empty', 'dir', 'dir/x.c', 'sp ace', 'ln', 'deep/er', 'fifo']) paths.push(Buffer.from(join(root, n)));
  paths.push(odd);
});
afterAll(() => removeTree(root));

const nul = (bufs: Buffer[]) => Buffer.concat(bufs.flatMap((b) => [b, Buffer.from([0])]));
const pstat = (args: string[], input?: Buffer) => spawnSync(process.execPath, [BIN, ...args], { input, timeout: 20_000 });

describe('pstat', () => {
  it('matches GNU stat -c byte for byte, in input order, odd names included (-0)', () => {
    const fmt = '%n|%s|%b|%B|%f|%F|%a|%A|%u|%U|%g|%G|%i|%h|%d|%D|%t|%T|%X|%Y|%Z|%W|%o|%%|%x|%y|%z|%w';
    const ours = pstat(['-0', '-c', fmt], nul(paths));
    const gnu = spawnSync('xargs', ['-0', 'stat', '-c', fmt], { input: nul(paths) });
    expect(ours.status).toBe(0);
    expect(ours.stdout.equals(gnu.stdout)).toBe(true);
  });

  it('takes a PATH argument that is not UTF-8 as its exact bytes', () => {
    // odd is `${root}/odd-` + ff 0a 41: the shell passes the bytes, Node's argv would not.
    const sh = spawnSync('bash', ['-c', `exec "$0" "$1" -c '%n|%s' "$2/odd-$(printf '\\xff\\nA')"`, process.execPath, BIN, root], { timeout: 20_000 });
    expect(sh.status, sh.stderr.toString()).toBe(0);
    expect(sh.stdout.equals(Buffer.concat([odd, Buffer.from('|3\n')]))).toBe(true);
  });

  it('keeps the input order with many paths, and --unordered gives the same set', () => {
    const many = Array.from({ length: 3000 }, (_, i) => paths[i % paths.length]!);
    const ordered = pstat(['-0', '-c', '%n'], nul(many));
    const want = Buffer.concat(many.map((p) => Buffer.concat([p, Buffer.from('\n')])));
    expect(ordered.stdout.equals(want)).toBe(true);
    const un = pstat(['-0', '--unordered', '-c', '%i'], nul(many));
    const ino = (s: Buffer) => s.toString().trim().split('\n').sort();
    expect(ino(un.stdout)).toEqual(many.map((p) => String(lstatSync(p).ino)).sort());
  });

  it('--json has every field, matching lstat (and stat with -L)', () => {
    const r = pstat(['--json', join(root, 'a.txt'), join(root, 'ln')]);
    const [a, ln] = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    const s = lstatSync(join(root, 'a.txt'), { bigint: true });
    expect(a).toMatchObject({ path: join(root, 'a.txt'), type: 'file', size: 5, ino: Number(s.ino), mode: Number(s.mode), mode_string: '-rw-r--r--' });
    expect(BigInt(a.mtime_sec) * 1_000_000_000n + BigInt(a.mtime_nsec)).toBe(s.mtimeNs);
    expect(ln.type).toBe('symlink');
    const followed = JSON.parse(pstat(['--json', '-L', join(root, 'ln')]).stdout.toString());
    expect(followed.type).toBe('file');
  });

  it('reports each bad path as `pstat: PATH: reason`, goes on, exits 1', () => {
    const input = Buffer.from(`${root}/a.txt\n${root}/missing\n\n${root}/a.txt/x\n${root}/empty\n`);
    const r = pstat(['-c', '%n'], input);
    expect(r.status).toBe(1);
    expect(r.stdout.toString()).toBe(`${root}/a.txt\n${root}/empty\n`);
    expect(r.stderr.toString()).toBe(`pstat: ${root}/missing: no such file or directory\npstat: '': empty path\npstat: ${root}/a.txt/x: not a directory\n`);
  });

  it('the worker-rendered path (-c) and the JS path (--json) report NUL bytes, empty lines and a last unterminated record alike', () => {
    const input = Buffer.concat([Buffer.from(`${root}/a.txt\nb`), Buffer.of(0), Buffer.from(`c\n\n${root}/empty`)]);
    const want = `pstat: b\\0c: a path cannot contain a NUL byte\npstat: '': empty path\n`;
    const raw = pstat(['-c', '%n'], input);
    expect(raw.status).toBe(1);
    expect(raw.stdout.toString()).toBe(`${root}/a.txt\n${root}/empty\n`);
    expect(raw.stderr.toString()).toBe(want);
    const json = pstat(['--json'], input);
    expect(json.status).toBe(1);
    expect(json.stdout.toString().trim().split('\n').map((l) => JSON.parse(l).path)).toEqual([`${root}/a.txt`, `${root}/empty`]);
    expect(json.stderr.toString()).toBe(want);
  });

  it('records straddling stdin chunks come out whole and in order', () => {
    // ~500 KB: many 64 KiB pipe chunks, and records cut by their edges.
    const lines = Array.from({ length: 6000 }, (_, i) => (i % 3 ? `${root}/deep/er${'/'.repeat(i % 7)}` : `${root}/sp ace`));
    const input = Buffer.from(lines.join('\n') + '\n', 'latin1');
    const r = pstat(['-c', '%n'], input);
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.equals(input)).toBe(true);
  });

  it('--batch and --max-outstanding change how paths are grouped into requests, not the output', () => {
    const many = Buffer.concat(Array.from({ length: 500 }, (_, i) => [paths[i % paths.length]!, Buffer.from([0])]).flat());
    const want = pstat(['-0', '-c', '%n %i %s'], many);
    expect(want.status).toBe(0);
    for (const args of [['--batch', '1'], ['--batch', '7', '--max-outstanding', '1'], ['--batch', '1000', '-j', '2']]) {
      const r = pstat(['-0', '-c', '%n %i %s', ...args], many);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout.equals(want.stdout), args.join(' ')).toBe(true);
    }
    expect(pstat(['--batch', '0', 'x']).status).toBe(2);
  });

  it('--cached=always|never reach statx as AT_STATX_DONT_SYNC / AT_STATX_FORCE_SYNC, with the same output', () => {
    const input = nul(paths);
    const want = pstat(['-0', '-c', '%n %i %s'], input);
    for (const [mode, flag] of [['always', 'AT_STATX_DONT_SYNC'], ['never', 'AT_STATX_FORCE_SYNC'], ['default', null]] as const) {
      const log = join(root, `strace-${mode}.log`);
      const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=statx', '-o', log, process.execPath, BIN, '-0', '--cached', mode, '-c', '%n %i %s'], { input, timeout: 20_000 });
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(r.stdout.equals(want.stdout), mode).toBe(true);
      const ours = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes(`"${root}`) || /statx\(\d+, "[^/"]/.test(l));
      expect(ours.length, mode).toBeGreaterThanOrEqual(paths.length);
      for (const l of ours) {
        if (flag) expect(l, mode).toContain(flag);
        else expect(l, mode).not.toMatch(/AT_STATX_(DONT|FORCE)_SYNC/);
      }
    }
    expect(pstat(['--cached', 'sometimes', 'x']).status).toBe(2);
  });

  it('--progress=always prints a progress line a second on stderr when it is not a terminal', async () => {
    const child = spawn(process.execPath, [BIN, '--progress=always', '-c', '%n'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdout.resume();
    child.stdin.write(`${root}/a.txt\n${root}/missing\n`);
    await new Promise((r) => setTimeout(r, 1500)); // the producer is slow: the run goes on
    child.stdin.end(`${root}/empty\n`);
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(1);
    expect(err).toMatch(/^pstat: 0 dirs, 1 files, 1 stats, .* 1 errors, 1\.\d s$/m);
  });

  it('bad usage exits 2', () => {
    expect(pstat(['--json', '-c', '%n', 'x']).status).toBe(2);
    expect(pstat(['--jobs', '0', 'x']).status).toBe(2);
    expect(pstat(['-c', '%5%', 'x']).status).toBe(2);
  });

  it('streams: the first result comes out before the input has ended', async () => {
    const child = spawn(process.execPath, [BIN, '-c', '%n'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const first = new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdin.write(`${root}/a.txt\n`);
    expect(await first).toBe(`${root}/a.txt\n`);
    child.stdin.end(`${root}/empty\n`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
  });

  it('--summary-json reports totals on stderr', () => {
    const r = pstat(['-0', '-c', '%n', '--summary-json'], nul(paths));
    const j = JSON.parse(r.stderr.toString());
    expect(j.paths).toBe(paths.length);
    expect(j.types).toMatchObject({ file: 5, dir: 2, symlink: 1, fifo: 1 });
  });
});
