// Runs the real bin/mvtree, and gives its tests a second filesystem (a
// tmpfs mounted for the test) and checksum manifests of trees.
import { createHash } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { fastTmp } from './scan-tree.js';
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

/** A test file's work directory on the fast tmp, and (as root) a tmpfs of
 *  its own inside it for moves across filesystems, mounted before the
 *  file's tests and undone after; fresh(base) makes a new directory below
 *  work (or other). */
export function moveWorkspace(prefix: string): { work: string; other: string; fresh: (base?: string) => string } {
  const work = mkdtempSync(join(fastTmp(prefix), 'w'));
  const other = join(work, 'other-fs');
  beforeAll(() => {
    if (isRoot) mountTmpfs(other);
  });
  afterAll(() => {
    if (isRoot) umount(other);
    execFileSync('rm', ['-rf', work]);
  });
  let n = 0;
  const fresh = (base = work) => {
    const d = join(base, `t${n++}`);
    mkdirSync(d);
    return d;
  };
  return { work, other, fresh };
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

/** Starts mvtree and kills it -9 after ms milliseconds (or lets it end first). */
export async function killAfter(args: string[], ms: number): Promise<number | null> {
  ensureBuilt();
  const child = spawn(process.execPath, [MVTREE, ...args], { env: plainEnv(), stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const status = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  clearTimeout(timer);
  return status;
}

/** Every file of the manifest is whole in src or dst, and nothing under a final name in dst is partial. */
export function checkWhole(files: Map<string, string>, src: string, dst: string): string[] {
  const bad: string[] = [];
  for (const [rel, sum] of files) {
    const a = digestAt(src, rel);
    const b = digestAt(dst, rel);
    if (a !== sum && b !== sum) bad.push(`lost ${rel}`);
    if (b !== undefined && b !== sum) bad.push(`partial ${rel}`);
  }
  return bad;
}


/** Kills mvtree -9 at `kills` moments, one in each equal part of a whole
 *  run's time (whole ms); before each, reset() puts the trees back, and
 *  after each, check(ms) looks at what the kill left and finishes the
 *  move. A run that ended before its moment is checked all the same and
 *  its moment tried again a little earlier; returns the kills that landed. */
export async function killAtMoments(args: string[], o: { kills: number; tries: number; whole: number; reset: () => void; check: (ms: number) => void }): Promise<number> {
  let killed = 0;
  let scale = 1;
  for (let tries = 0; killed < o.kills && tries < o.tries; tries++) {
    o.reset();
    const ms = ((killed + Math.random()) / o.kills) * o.whole * scale;
    const status = await killAfter(args, ms);
    if (status === null) {
      killed++;
      scale = 1;
    } else scale *= 0.8;
    o.check(ms);
  }
  return killed;
}
