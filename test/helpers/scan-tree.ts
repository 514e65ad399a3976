// Trees for the treescan tests: one with every kind of entry and awkward
// name, and big ones (on tmpfs when there is one) for slow scans.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTree } from './tree.js';

/** Names that are not valid UTF-8 (0xff never is; 0xc3 0x28 is a broken pair). */
export const BAD_FILE = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]);
export const BAD_DIR = Buffer.from([0x64, 0x69, 0x72, 0xc3, 0x28, 0x80]);
export const NEWLINE = 'new\nline';
export const LONG = 'L'.repeat(255);
/** 255 bytes of two-byte UTF-8 characters and one ASCII byte. */
export const LONG_UTF8 = 'é'.repeat(127) + 'x';
export const DEPTH = 100;

export interface RichTree {
  root: string;
  /** root/deep/d/d/…/d (DEPTH levels below deep) */
  deepest: string;
}

/** Puts a Unix socket at path (libuv unlinks its socket on close, so it is
 *  bound under another name and renamed). */
async function makeSocket(path: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(tmp, resolve));
  renameSync(tmp, path);
  await new Promise<void>((resolve) => srv.close(() => resolve()));
}

/**
 * A tree with regular files, empty dirs, symlinks to a file, to a dir,
 * dangling, looping (loop/up -> the root, loop/inner/back -> loop, a self link), hard links, a fifo, a
 * socket, names with spaces, newlines and non-UTF-8 bytes, 255-byte names and
 * a DEPTH-level chain. `withLoops: false` leaves out both loops.
 */
export async function makeRichTree(withLoops = true): Promise<RichTree> {
  const root = makeTree({
    'file.txt': 'hello\n',
    'empty-dir': {},
    'with space': { 'inner file': 'x', ' lead and trail ': '' },
    sub: { 'a.c': 'int a;\n', 'b.h': '', deeper: { 'z.c': 'int z;\n', 'empty': {} } },
    'link-to-file': { symlink: 'file.txt' },
    'link-to-dir': { symlink: 'sub' },
    dangling: { symlink: 'no-such-target' },
    [NEWLINE]: 'nl',
    'nl dir': { [`x\ny`]: {} },
    [LONG]: '255',
    [LONG_UTF8]: { [LONG]: 'long/long' },
  });
  if (withLoops) {
    mkdirSync(join(root, 'loop/inner'), { recursive: true });
    symlinkSync('..', join(root, 'loop/up')); // the root
    symlinkSync('..', join(root, 'loop/inner/back')); // loop/, not a root
    symlinkSync('self', join(root, 'self'));
  }
  const b = (s: string) => Buffer.from(s);
  writeFileSync(Buffer.concat([b(root + '/'), BAD_FILE]), 'bad');
  mkdirSync(Buffer.concat([b(root + '/'), BAD_DIR]));
  writeFileSync(Buffer.concat([b(root + '/'), BAD_DIR, b('/'), BAD_FILE]), 'bad/bad');
  symlinkSync(BAD_FILE, Buffer.concat([b(root + '/'), BAD_DIR, b('/link')]));
  linkSync(join(root, 'file.txt'), join(root, 'hard-link.txt'));
  linkSync(join(root, 'sub/a.c'), join(root, 'with space/hard a.c'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  await makeSocket(join(root, 'sock'));
  let deepest = join(root, 'deep');
  for (let i = 0; i < DEPTH; i++) deepest = join(deepest, 'd');
  mkdirSync(deepest, { recursive: true });
  writeFileSync(join(deepest, 'bottom'), 'bottom');
  return { root, deepest };
}

/** A temporary directory on tmpfs (/dev/shm) when there is one: big trees
 *  are made and removed there many times faster than on a disk. */
export function fastTmp(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** root/d0..d{a-1}/e0..e{b-1}, each leaf with `files` files named with
 *  nameLen bytes; returns the number of directories, root included. */
export function makeWideTree(root: string, a: number, b: number, files = 0, nameLen = 8): number {
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const d = join(root, `d${i}`, `e${j}`);
      mkdirSync(d, { recursive: true });
      for (let f = 0; f < files; f++) writeFileSync(join(d, `f${f}`.padEnd(nameLen, '_')), '');
    }
  }
  return 1 + a + a * b;
}
