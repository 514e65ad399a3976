// Where the single executable keeps the native files it carries: a
// per-user cache, never a directory another user could have planted files in.
import { lstatSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** $XDG_CACHE_HOME/ioaio, ~/.cache/ioaio, or (no home) $TMPDIR/ioaio-<uid>. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME?.startsWith('/')) return join(env.XDG_CACHE_HOME, 'ioaio');
  let home = '';
  try {
    home = homedir();
  } catch {
    /* no passwd entry and no HOME: fall back to the temporary directory */
  }
  if (home.startsWith('/') && home !== '/') return join(home, '.cache', 'ioaio');
  return join(tmpdir(), `ioaio-${process.getuid?.() ?? 'user'}`);
}

/** Creates dir (mode 0700) if needed; refuses one that is not ours or that others may write. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir}: not a private directory of this user (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)}); remove it or set XDG_CACHE_HOME`);
  }
}
