// What treescan should print, computed here from the filesystem, and probes
// for what this machine and this build can do.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './tree.js';
import { records, treescan } from './treescan.js';

/** --sort's order: the root, then depth first with each directory's
 *  entries in byte order of their names; dirs end in '/'. latin1 strings
 *  (one char per byte). With follow (-L): stat semantics; a directory that
 *  is its own ancestor is left out (reported as a loop, as find -L does), a
 *  dangling link is listed,
 *  a link that cannot be resolved otherwise (ELOOP) is left out. */
export function expectedSorted(root: string, follow = false): string[] {
  const out: string[] = [];
  const id = (st: { dev: number; ino: number }) => `${st.dev}:${st.ino}`;
  const kind = (p: Buffer) => {
    if (!follow) return lstatSync(p);
    try {
      return statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return lstatSync(p);
      return undefined;
    }
  };
  const walk = (dir: Buffer, up: string[]) => {
    const names = (readdirSync(dir, { encoding: 'buffer' }) as Buffer[]).sort(Buffer.compare);
    for (const name of names) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const st = kind(p);
      if (!st) continue;
      if (follow && st.isDirectory() && up.includes(id(st))) continue;
      out.push(p.toString('latin1') + (st.isDirectory() ? '/' : ''));
      if (st.isDirectory()) walk(p, [...up, id(st)]);
    }
  };
  out.push(root + '/');
  walk(Buffer.from(root), [id(statSync(root))]);
  return out;
}

/** Whether `treescan --sort` already sorts (it is being implemented): 40
 *  names in a directory come out of readdir in hash order, not byte order. */
export function sortImplemented(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'ioaio-sortprobe-'));
  try {
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `n${(i * 7919) % 1000}`), '');
    const r = treescan(['-0', '--sort', dir]);
    if (r.status !== 0) return false;
    const got = records(r.stdout, 0).map((b) => b.toString('latin1'));
    return JSON.stringify(got) === JSON.stringify(expectedSorted(dir));
  } finally {
    removeTree(dir);
  }
}

export interface Mount {
  ok: boolean;
  why: string;
  /** a directory whose subdirectory mnt/ is a fresh tmpfs */
  dir?: string;
  cleanup(): void;
}

/** Probes now whether a tmpfs can be mounted (root in a container may not);
 *  the returned setup() mounts one under a new temporary directory. */
export function canMountTmpfs(): { ok: boolean; why: string } {
  const m = mountTmpfs();
  m.cleanup();
  return { ok: m.ok, why: m.why };
}

export function mountTmpfs(): Mount {
  const dir = mkdtempSync(join(tmpdir(), 'ioaio-mnt-'));
  const mnt = join(dir, 'mnt');
  spawnSync('mkdir', [mnt]);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'ioaio-test', mnt]);
  const ok = r.status === 0;
  return {
    ok,
    why: ok ? 'tmpfs mounted' : `cannot mount a tmpfs here: ${r.stderr?.toString().trim() || r.error?.message}`,
    dir,
    cleanup() {
      if (ok) spawnSync('umount', [mnt]);
      removeTree(dir);
    },
  };
}
