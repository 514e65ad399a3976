// The names copyfile writes under before a rename makes a copy visible
// (CF_TEMP_PREFIX + 16 hex digits: the writer's pid in 8, then 8 of its
// own). A run killed outright leaves them; the next run into the same
// directory removes them, and only them, and only those whose writer is
// gone, so two runs into one destination at once leave each other's alone.
import { aio, CF_TEMP_PREFIX, Wd } from '../aio/index.js';
import { joinPath } from './paths.js';

const TEMP = new RegExp(`^${CF_TEMP_PREFIX.replace(/\./g, '\\.')}[0-9a-f]{16}$`);

const LEN = CF_TEMP_PREFIX.length + 16;

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** A new temporary name: the prefix, our pid and 8 random hex digits.
 *  Perf: Math.random, not node:crypto (3 ms of a start to load): the name
 *  needs only to be unlikely to meet another, and a link or open onto an
 *  existing one fails with EEXIST rather than overwriting it. */
export function newTempName(): string {
  return CF_TEMP_PREFIX + hex8(process.pid) + hex8(Math.floor(Math.random() * 0x100000000));
}

/** Is the process that wrote this temporary still running here? (Ours, or
 *  any live pid: a pid reused since, or another host's writer over NFS,
 *  errs on the side of keeping it; the writer itself makes its copy again
 *  if its temporary vanished before the rename.) */
function writerAlive(name: Uint8Array): boolean {
  const pid = parseInt(Buffer.from(name).toString('latin1', CF_TEMP_PREFIX.length, CF_TEMP_PREFIX.length + 8), 16);
  if (pid === process.pid) return true;
  if (!(pid > 0 && pid <= 0x400000)) return false; // beyond Linux's pid_max: an older name
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isTempName(name: Buffer): boolean {
  return name.length === LEN && TEMP.test(name.toString('latin1'));
}

/** isTempName of buf[start, end), without making a Buffer for most names. */
export function isTempSpan(buf: Buffer, start: number, end: number): boolean {
  return end - start === LEN && buf[start] === 0x2e && TEMP.test(buf.toString('latin1', start, end));
}

/** A temporary of ours whose writer is gone: the sweep removes it. */
export function isStaleTemp(name: Buffer): boolean {
  return isTempName(name) && !writerAlive(name);
}

/** Removes a stale temporary (one already gone is no matter). */
export function removeStaleTemp(dir: Wd | Buffer, name: Buffer): Promise<void> {
  return aio.unlink(dir instanceof Wd ? [dir, Buffer.from(name)] : joinPath(dir, name)).catch(() => undefined);
}

/** Removes our stale temporaries (their writer gone) from a destination
 *  directory (a handle, or its path) that existed before this run;
 *  resolves to how many. */
export async function removeStaleTemps(dir: Wd | Buffer): Promise<number> {
  const batch = await aio.readdirBatch(dir instanceof Wd ? [dir, '.'] : dir);
  const gone: Promise<void>[] = [];
  for (let i = 0; i < batch.count; i++) {
    const name = batch.nameBytes(i);
    if (isStaleTemp(name)) gone.push(removeStaleTemp(dir, name));
  }
  await Promise.all(gone);
  return gone.length;
}
