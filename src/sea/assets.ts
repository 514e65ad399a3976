// The native files the single executable carries (koffi's addon and
// libioaio.so), written out once to <cache>/<sha256 prefix>/<name> so they can
// be loaded by path. Two processes starting at once each write a temporary
// file and rename it into place: rename is atomic, both write the same bytes,
// so neither ever sees a half-written file.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { getAsset } from 'node:sea';
import { cacheDir, ensurePrivateDir } from './cache-dir.js';

export interface AssetInfo {
  sha256: string;
  size: number;
}

/** Filled in by scripts/sea.mjs from the files it embeds. */
declare const __IOAIO_ASSETS__: Record<string, AssetInfo>;

const extracted = new Map<string, string>();

/** The path of the named asset on disk, written there first if missing. */
export function extractAsset(name: string): string {
  const done = extracted.get(name);
  if (done) return done;
  const info = __IOAIO_ASSETS__[name];
  if (!info) throw new Error(`ioaio: no embedded asset ${name}`);
  const dir = join(cacheDir(), info.sha256.slice(0, 32));
  const path = join(dir, name);
  // Perf: on every run after the first this stat is all it costs.
  if (!isComplete(path, info)) write(dir, path, name, info);
  extracted.set(name, path);
  return path;
}

function isComplete(path: string, info: AssetInfo): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && st.size === info.size;
  } catch {
    return false;
  }
}

function write(dir: string, path: string, name: string, info: AssetInfo): void {
  const data = new Uint8Array(getAsset(name));
  const sum = createHash('sha256').update(data).digest('hex');
  if (sum !== info.sha256) throw new Error(`ioaio: embedded ${name} is damaged (sha256 ${sum}, expected ${info.sha256})`);
  ensurePrivateDir(dir);
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o755);
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
