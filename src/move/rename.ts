// The same-filesystem strategy: one rename(2) moves a whole tree, whatever
// its size. With merge, an existing destination directory is merged into
// entry by entry, each missing subtree still moved by one rename.
import { constants } from 'node:os';
import { aio, IoaioError, type Stats } from '../aio/index.js';
import { excluder } from '../walk/glob.js';
import { dirName, joinPath } from '../copy/paths.js';
import type { MoveCounters, MoveEvents, MoveOptions } from './types.js';

const { EEXIST, ENOTEMPTY, EINVAL, ENOSYS, ENOENT } = constants.errno;
const RENAME_NOREPLACE = 1;
/** Perf: renames of one directory's entries in flight at once. */
const PARALLEL = 16;

/** rename, or EXDEV / a conflict for the caller to handle ('missing':
 *  no source, when the caller said that is its to judge). */
export type RenameOutcome = 'renamed' | 'kept' | 'exdev' | 'merge' | 'failed' | 'missing';

export class Renamer {
  private readonly exclude: ReturnType<typeof excluder>;

  constructor(
    private readonly opts: MoveOptions,
    private readonly counters: MoveCounters,
    private readonly events: MoveEvents,
  ) {
    this.exclude = excluder(opts.exclude);
  }

  /** One entry: src onto dst. 'merge': both are directories and dst is not
   *  empty. missingOk: a missing src is 'missing', not an error (a list's
   *  entry an earlier run may have moved). */
  async one(src: Buffer, dst: Buffer, missingOk = false): Promise<RenameOutcome> {
    const { noClobber, newer } = this.opts;
    if (this.opts.dryRun) return this.decide(src, dst, missingOk);
    try {
      if (noClobber) await noReplace(src, dst);
      else {
        if (newer && (await keepsNewer(src, dst))) return this.kept(src, dst);
        await aio.rename(src, dst);
      }
      this.counters.renamed++;
      if (this.events.wantsEntries) this.events.renamed(src, dst);
      return 'renamed';
    } catch (e) {
      const err = e as IoaioError;
      if (err.code === 'EXDEV') return 'exdev';
      if (missingOk && err.errno === ENOENT && !(await exists(src))) return 'missing';
      if (err.errno === EEXIST || err.errno === ENOTEMPTY) {
        const [s, d] = await Promise.all([aio.lstat(src), aio.lstat(dst).catch(() => undefined)]);
        if (s.isDirectory() && d?.isDirectory()) return 'merge';
        if (noClobber) return this.kept(src, dst);
      }
      this.fail(dst, err, src);
      return 'failed';
    }
  }

  /** Merges directory src into the existing directory dst, then removes src
   *  if nothing stayed in it. rel: src's path below the moved root + '/'.
   *  An entry whose rename says EXDEV (a mount point in dst) goes to
   *  across(its rel) where the caller can copy it;
   *  without one it is an error, and it stays. */
  async merge(src: Buffer, dst: Buffer, rel: Buffer, across?: (rel: Buffer) => Promise<void>): Promise<void> {
    let batch;
    try {
      batch = await aio.readdirBatch(src);
    } catch (e) {
      this.fail(src, e as IoaioError);
      return;
    }
    const names: Buffer[] = [];
    for (let i = 0; i < batch.count; i++) {
      const name = Buffer.from(batch.nameBytes(i));
      if (this.exclude?.(name, rel)) continue;
      names.push(name);
    }
    for (let i = 0; i < names.length; i += PARALLEL) {
      await Promise.all(
        names.slice(i, i + PARALLEL).map(async (name) => {
          const s = joinPath(src, name);
          const d = joinPath(dst, name);
          const how = await this.one(s, d);
          if (how === 'merge') await this.merge(s, d, Buffer.concat([rel, name, Buffer.from('/')]), across);
          else if (how === 'exdev') {
            if (across) await across(Buffer.concat([rel, name]));
            else this.fail(d, new IoaioError({ errno: constants.errno.EXDEV, syscall: 'rename', path: d.toString(), message: 'on another filesystem than its source: not moved' }));
          }
        }),
      );
    }
    if (this.opts.dryRun) return;
    // what stayed (excluded, kept, failed) keeps its directory, silently
    await aio.rmdir(src).catch((e: IoaioError) => {
      if (e.errno !== ENOTEMPTY && e.errno !== EEXIST) this.fail(src, e);
    });
  }

  /** A dry run's one(): what the rename would do, from lstat alone. */
  private async decide(src: Buffer, dst: Buffer, missingOk: boolean): Promise<RenameOutcome> {
    try {
      if (missingOk && !(await exists(src))) return 'missing';
      const s = await aio.lstat(src);
      const d = await aio.lstat(dst).catch(() => undefined);
      const there = d ?? (await aio.lstat(dirName(dst)));
      if (there.dev !== s.dev) return 'exdev';
      if (d?.isDirectory() && s.isDirectory() && (await aio.readdirBatch(dst)).count > 0) return 'merge';
      if (d && !d.isDirectory() && !s.isDirectory() && (this.opts.noClobber || (this.opts.newer && (await keepsNewer(src, dst))))) return this.kept(src, dst);
      if (d && d.isDirectory() !== s.isDirectory()) throw new IoaioError({ errno: s.isDirectory() ? constants.errno.ENOTDIR : constants.errno.EISDIR, syscall: 'rename', path: dst.toString() });
    } catch (e) {
      this.fail(dst, e as IoaioError, src);
      return 'failed';
    }
    this.counters.renamed++;
    if (this.events.wantsEntries) this.events.renamed(src, dst);
    return 'renamed';
  }

  /** The target is a directory with entries and there is no --merge:
   *  reported, and returned (the root's refusal, for aio.move). */
  refuse(dst: Buffer, src: Buffer): IoaioError {
    const err = new IoaioError({ errno: ENOTEMPTY, syscall: 'rename', path: dst.toString() });
    this.events.error(dst, conflict(err, src));
    return err;
  }

  private kept(src: Buffer, dst: Buffer): 'kept' {
    this.counters.kept++;
    if (this.events.wantsEntries) this.events.kept(src, dst);
    return 'kept';
  }

  private fail(path: Buffer, err: Error, src?: Buffer): void {
    this.counters.errors++;
    const e = err instanceof IoaioError && src ? conflict(err, src) : err;
    this.events.error(path, e);
  }
}

/** renameat2(RENAME_NOREPLACE), or an lstat and a rename where the filesystem has no such flag. */
async function noReplace(src: Buffer, dst: Buffer): Promise<void> {
  try {
    await aio.rename2(src, dst, RENAME_NOREPLACE);
  } catch (e) {
    const err = e as IoaioError;
    if (err.errno !== EINVAL && err.errno !== ENOSYS) throw err;
    if (await aio.lstat(dst).then(() => true, () => false)) throw new IoaioError({ errno: EEXIST, syscall: 'rename', path: dst.toString() });
    await aio.rename(src, dst);
  }
}

/** mv -u: an existing dst at least as new as src stays (directories are merged, not compared). */
async function keepsNewer(src: Buffer, dst: Buffer): Promise<boolean> {
  let d: Stats;
  try {
    d = await aio.lstat(dst);
  } catch {
    return false;
  }
  const s = await aio.lstat(src);
  if (s.isDirectory() || d.isDirectory()) return false;
  return d.mtimeSec > s.mtimeSec || (d.mtimeSec === s.mtimeSec && d.mtimeNsec >= s.mtimeNsec);
}

function exists(p: Buffer): Promise<boolean> {
  return aio.lstat(p).then(() => true, () => false);
}

/** rename's errors in mv's words where they say more. */
function conflict(err: IoaioError, src: Buffer): Error {
  if (err.code === 'EISDIR') return new Error(`cannot overwrite a directory with the non-directory '${src}'`, { cause: err });
  if (err.code === 'ENOTDIR') return new Error(`cannot overwrite a non-directory with the directory '${src}'`, { cause: err });
  if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') return new Error('directory not empty (--merge merges into it)', { cause: err });
  return err;
}
