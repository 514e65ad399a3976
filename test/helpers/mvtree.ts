// Runs the real bin/mvtree, and gives its tests a second filesystem (a
// tmpfs mounted for the test) and checksum manifests of trees.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt, plainEnv } from './treescan.js';

export const MVTREE = join(ROOT, 'bin/mvtree');
export const isRoot = process.getuid?.() === 0;

export interface MvResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function mvtree(args: string[], opts: { asNobody?: boolean; cwd?: string } = {}): MvResult {
  ensureBuilt();
  const argv = [process.execPath, MVTREE, ...args];
  const cmd = opts.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env: plainEnv(), cwd: opts.cwd, timeout: 120_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString(), status: r.status };
}

/** A tmpfs of its own at dir (another filesystem than the test's others). */
export function mountTmpfs(dir: string, size = '256m'): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'ioaio-mvtree-test', dir]);
}

export function umount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

/** Relative path (latin1) -> sha256 of every regular file below root. */
export function manifest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: Buffer, rel: string) => {
    for (const n of readdirSync(dir, { encoding: 'buffer' })) {
      const p = Buffer.concat([dir, Buffer.from('/'), n]);
      const r = `${rel}/${n.toString('latin1')}`;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, r);
      else if (st.isFile()) out.set(r, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(Buffer.from(root), '');
  return out;
}

/** What content a path holds now (undefined: not a regular file there). */
export function digestAt(root: string, rel: string): string | undefined {
  const p = Buffer.concat([Buffer.from(root), Buffer.from(rel, 'latin1')]);
  try {
    if (!lstatSync(p).isFile()) return undefined;
    return createHash('sha256').update(readFileSync(p)).digest('hex');
  } catch {
    return undefined;
  }
}
