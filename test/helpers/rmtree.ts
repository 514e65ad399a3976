// Runs the real bin/rmtree, and builds the trees its tests remove.
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt, plainEnv } from './treescan.js';

export const RMTREE = join(ROOT, 'bin/rmtree');
export const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
export const isRoot = process.getuid?.() === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

export interface RmResult {
  stdout: Buffer;
  stderr: string;
  status: number | null;
}

export function rmtree(args: string[], opts: { asNobody?: boolean; cwd?: string } = {}): RmResult {
  ensureBuilt();
  const argv = [process.execPath, RMTREE, ...args];
  const cmd = opts.asNobody ? [...NOBODY, ...argv] : argv;
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env: plainEnv(), cwd: opts.cwd, timeout: 60_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status };
}

/** The lines of stdout, as latin1 strings (any bytes). */
export function lines(out: Buffer): string[] {
  const s = out.toString('latin1');
  return s === '' ? [] : s.replace(/\n$/, '').split('\n');
}

/** Every path below root (latin1, so any bytes), root first, depth first. */
export function listAll(root: string): string[] {
  const out = [root];
  const walk = (dir: Buffer, shown: string) => {
    for (const n of readdirSync(dir, { encoding: 'buffer' })) {
      const p = Buffer.concat([dir, Buffer.from('/'), n]);
      const s = `${shown}/${n.toString('latin1')}`;
      out.push(s);
      if (lstatSync(p).isDirectory()) walk(p, s);
    }
  };
  walk(Buffer.from(root), root);
  return out;
}

export const BAD = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]);

/** A tree with an entry of every kind and odd names; returns its entry count (root included). */
export function makeOddTree(root: string, outside: string): number {
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'plain'), 'x');
  writeFileSync(join(root, 'new\nline'), 'n');
  writeFileSync(join(root, '-rf'), 'dash');
  writeFileSync(join(root, 'L'.repeat(255)), 'long');
  writeFileSync(Buffer.concat([Buffer.from(`${root}/`), BAD]), 'bad');
  mkdirSync(Buffer.concat([Buffer.from(`${root}/sub/`), BAD]));
  writeFileSync(join(root, 'sub', 'deeper', 'f'), 'f');
  symlinkSync(outside, join(root, 'sub', 'to-outside'));
  symlinkSync('dangling-target', join(root, 'dangling'));
  execFileSync('mkfifo', [join(root, 'sub', 'fifo')]);
  execFileSync('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(join(root, 'sock'))})`]);
  execFileSync('ln', [join(root, 'plain'), join(root, 'sub', 'hardlink')]);
  let n = 16;
  if (isRoot) {
    execFileSync('mknod', [join(root, 'null-dev'), 'c', '1', '3']);
    n++;
  }
  return n;
}

/** dirs dirs a level, depth levels, files files a directory (the bench corpus' shape, small). */
export function makeWide(root: string, dirs: number, depth: number, files: number): number {
  let n = 1;
  mkdirSync(root);
  for (let i = 0; i < files; i++, n++) writeFileSync(join(root, `f${i}`), '');
  if (depth > 0) for (let i = 0; i < dirs; i++) n += makeWide(join(root, `d${i}`), dirs, depth - 1, files);
  return n;
}
