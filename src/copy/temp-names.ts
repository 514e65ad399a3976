// The names copyfile writes under before a rename makes a copy visible
// (CF_TEMP_PREFIX + 16 hex digits). A run killed outright leaves them; the
// next run into the same directory removes them, and only them.
import { aio, CF_TEMP_PREFIX, type Wd } from '../aio/index.js';

const TEMP = new RegExp(`^${CF_TEMP_PREFIX.replace(/\./g, '\\.')}[0-9a-f]{16}$`);

const LEN = CF_TEMP_PREFIX.length + 16;

/** A new temporary name: the prefix and 16 random hex digits. Perf:
 *  Math.random, not node:crypto (3 ms of a start to load): the name needs
 *  only to be unlikely to meet another, and a link or open onto an existing
 *  one fails with EEXIST rather than overwriting it. */
export function newTempName(): string {
  const part = (): string => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return CF_TEMP_PREFIX + part() + part();
}

export function isTempName(name: Buffer): boolean {
  return name.length === LEN && TEMP.test(name.toString('latin1'));
}

/** isTempName of buf[start, end), without making a Buffer for most names. */
export function isTempSpan(buf: Buffer, start: number, end: number): boolean {
  return end - start === LEN && buf[start] === 0x2e && TEMP.test(buf.toString('latin1', start, end));
}

/** Removes our stale temporaries from a destination directory that existed
 *  before this run; resolves to how many. */
export async function removeStaleTemps(dir: Wd): Promise<number> {
  const batch = await aio.readdirBatch([dir, '.']);
  let n = 0;
  const gone: Promise<void>[] = [];
  for (let i = 0; i < batch.count; i++) {
    const name = batch.nameBytes(i);
    if (!isTempName(name)) continue;
    n++;
    gone.push(aio.unlink([dir, Buffer.from(name)]).catch(() => undefined));
  }
  await Promise.all(gone);
  return n;
}
