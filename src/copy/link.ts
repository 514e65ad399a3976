// Making the other names of a hard-linked inode: a link to the first copy,
// under a temporary name, renamed into place.
import { aio, type PathArg, type Wd } from '../aio/index.js';
import { newTempName } from './temp-names.js';

async function sameInode(a: PathArg, b: PathArg): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([aio.lstat(a), aio.lstat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** A hard link under a temporary name, renamed onto the final one. rename(2)
 *  does nothing when both names are already the same inode, so the
 *  temporary is removed after it in any case. */
async function linkAtomically(target: Buffer, dir: Wd, name: Buffer): Promise<void> {
  for (let tries = 1; ; tries++) {
    const tmp = newTempName();
    const tmpArg: PathArg = [dir, tmp];
    try {
      await aio.link(target, tmpArg);
    } catch (e) {
      // ENOENT: target was renamed over (another run into the same
      // destination) as link(2) reached its old inode: link to the new one
      if (tries < 3 && (e as { code?: string }).code === 'ENOENT') continue;
      throw e;
    }
    try {
      await aio.rename(tmpArg, [dir, name]);
      return;
    } catch (e) {
      // our temporary vanished (a sweep that could not see our pid): again
      if (tries >= 3 || (e as { code?: string }).code !== 'ENOENT' || (await aio.lstat(tmpArg).then(() => true, () => false))) throw e;
    } finally {
      await aio.unlink(tmpArg).catch(() => undefined);
    }
  }
}

/** An existing dst that mv -n (newer: false) or -u (newer: true, where
 *  target holds the source's mtime) keeps. */
async function keeps(target: Buffer, dst: PathArg, newer: boolean): Promise<boolean> {
  const d = await aio.lstat(dst).catch(() => undefined);
  if (!d) return false;
  return !newer || d.mtimeMs >= (await aio.lstat(target)).mtimeMs;
}

/** Makes dst (in dir, when not a dry run) a link to target; 'skip' when it
 *  already is one (checked with update, checksum and dry runs); 'keep' when
 *  an existing dst stays (keep: mv's -n or -u). */
export async function linkName(
  target: Buffer,
  dst: PathArg,
  dir: Wd | undefined,
  name: Buffer,
  opts: { check: boolean; dryRun: boolean; keep?: 'no-clobber' | 'newer' },
): Promise<'link' | 'skip' | 'keep'> {
  if ((opts.check || opts.keep) && (await sameInode(target, dst))) return 'skip';
  if (opts.keep && (await keeps(target, dst, opts.keep === 'newer'))) return 'keep';
  if (!opts.dryRun) await linkAtomically(target, dir!, name);
  return 'link';
}
