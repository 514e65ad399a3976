// The worker-side renderer (aio.statFormat, native/src/statfmt.c) against
// GNU stat(1), byte for byte, on real files; and which formats it takes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../../src/aio/index.js';
import { nativeFormatProgram } from '../../../src/commands/pstat/format.js';
import { ensureDist } from '../../helpers/child.js';

const BIN = fileURLToPath(new URL('../../../bin/pstat', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pstat-native-'));
const B = (name: string | Buffer) => Buffer.concat([Buffer.from(root + '/'), Buffer.from(name)]);
const files = [
  B('regular'), B('empty'), B('dir'), B('symlink'), B('fifo'), B('special'), Buffer.from('/dev/null'),
  B(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff])), B('new\nline'), B('missing'), B('regular/not-a-dir'),
];
const nul = (bufs: Buffer[]) => Buffer.concat(bufs.flatMap((b) => [b, Buffer.from([0])]));

function gnu(fmt: string, paths: Buffer[], env: NodeJS.ProcessEnv = process.env): Buffer {
  return spawnSync('xargs', ['-0', 'stat', '-c', fmt], { input: nul(paths), env }).stdout;
}

beforeAll(() => {
  ensureDist();
  fs.writeFileSync(files[0]!, 'some bytes\n'.repeat(1000));
  fs.writeFileSync(files[1]!, '');
  fs.mkdirSync(files[2]!);
  fs.symlinkSync('regular', files[3]!);
  spawnSync('mkfifo', [files[4]!.toString()]);
  fs.writeFileSync(files[5]!, 'x');
  fs.chmodSync(files[5]!, 0o7751);
  fs.writeFileSync(files[7]!, 'y');
  fs.writeFileSync(files[8]!, 'z');
  fs.utimesSync(files[0]!, 1_600_000_000.5, 1_600_000_000.123457);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ALL = '%n|%s|%b|%B|%o|%i|%h|%u|%g|%f|%a|%A|%F|%d|%D|%Hd|%Ld|%r|%R|%Hr|%Lr|%t|%T|%U|%G|%X|%Y|%Z|%W|%x|%y|%z|%w|%q|%%|ü';

describe('aio.statFormat', () => {
  it('renders every directive it takes as GNU stat -c does; failures come back by index', async () => {
    const prog = nativeFormatProgram(ALL, { printf: false });
    expect(prog).toBeDefined();
    const lines = await aio.statFormat(prog!, nul(files), files.length);
    expect(lines.errors).toBe(2);
    expect([lines.errorIndex(0), lines.errorErrno(0)]).toEqual([9, os.constants.errno.ENOENT]);
    expect([lines.errorIndex(1), lines.errorErrno(1)]).toEqual([10, os.constants.errno.ENOTDIR]);
    expect(lines.text.toString('latin1')).toBe(gnu(ALL, files.slice(0, 9)).toString('latin1'));
    // regular, empty, special, the odd two: files; dir; symlink; fifo, /dev/null: others
    expect([lines.files, lines.dirs, lines.symlinks, lines.others]).toEqual([5, 1, 1, 2]);
    expect(lines.bytes).toBe(11000 + 0 + 1 + 1 + 1);
  });

  it('follows symlinks when asked (stat, not lstat)', async () => {
    const prog = nativeFormatProgram('%F %s', { printf: false })!;
    const lines = await aio.statFormat(prog, nul([files[3]!]), 1, true);
    expect(lines.text.toString()).toBe('regular file 11000\n');
  });

  it('refuses a malformed program at submit', async () => {
    await expect(aio.statFormat(Buffer.from([1, 5, 0, 0x41]), nul([files[0]!]), 1)).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(aio.statFormat(Buffer.from('%'), nul([files[0]!]), 1)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('nativeFormatProgram', () => {
  it('takes plain directives, literals and printf escapes; leaves flags, widths and precisions to JS', () => {
    expect(nativeFormatProgram('%s %n', { printf: false })).toBeDefined();
    expect(nativeFormatProgram('%s\\t%n\\n', { printf: true })).toBeDefined();
    for (const f of ['%5s', '%-5n', '%.3Y', '%#a', '%08s', '%+s']) expect(nativeFormatProgram(f, { printf: false }), f).toBeUndefined();
  });
});

describe('bin/pstat: the worker renderer and the JS one agree', () => {
  const fmt = '%n|%s|%A|%U|%G|%y|%Hd|%w';
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, [BIN, '-0', ...args], { input: nul(files), env, timeout: 20_000 });

  it('plain -c (worker) and -c with --summary (JS renderer) print the same bytes as GNU stat', () => {
    const worker = run(['-c', fmt]), js = run(['-c', fmt, '--summary']);
    expect(worker.status).toBe(1); // the two missing paths
    expect(worker.stdout.equals(js.stdout)).toBe(true);
    expect(worker.stdout.equals(gnu(fmt, files.slice(0, 9)))).toBe(true);
    expect(worker.stderr.toString()).toBe(`pstat: ${root}/missing: no such file or directory\npstat: ${root}/regular/not-a-dir: not a directory\n`);
  });

  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
    it(`local times in TZ=${tz}`, () => {
      const env = { ...process.env, TZ: tz };
      const r = run(['-c', '%x|%y|%z'], env);
      expect(r.stdout.toString()).toBe(gnu('%x|%y|%z', files.slice(0, 9), env).toString());
    });
  }
});
