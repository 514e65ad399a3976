// --delete (rsync -a --delete): what a directory of the copy has that its
// source does not is removed, on rmtree's engine, before the directory's
// entries are copied (so deletions are listed first and free their space
// first). Never outside the destination (only names read from the
// destination directory itself, each removed by aio.rmtree, which never
// follows a symlink), never across -x (a directory on another filesystem
// than the copy's root is neither deleted nor deleted in), never a live
// writer's temporary (another run's). The same reading of the directory is
// its sweep of stale temporaries (one readdir, not two).
import { aio, IoaioError, rmEntryType, type RmEntryType } from '../aio/index.js';
import { modeToType } from '../walk/entry-policy.js';
import { joinPath } from './paths.js';
import { isStaleTemp, isTempSpan, removeStaleTemp } from './temp-names.js';
import type { DirJob } from './jobs.js';

/** What the source directory holds, by name (latin1) -> is it a directory. */
export type SourceNames = Map<string, boolean>;

export interface DeleteOptions {
  /** also remove what --exclude leaves out (rsync's --delete-excluded) */
  excluded: boolean;
  /** the copy's --exclude predicate (name, path prefix below the root) */
  exclude: ((name: Buffer, rel: Buffer) => boolean) | undefined;
  /** the --exclude globs themselves: those without a '/' keep entries below a removed directory as they keep them in the copy */
  globs: readonly string[];
  oneFileSystem: boolean;
  /** the device of the copy's root (with oneFileSystem) */
  rootDev: number;
  dryRun: boolean;
  /** removals in flight at most */
  parallel: number;
}

export interface DeleteSink {
  /** set when deleted() wants to be called (it costs a path per entry) */
  readonly wantsEntries: boolean;
  deleted(type: RmEntryType, path: Buffer): void;
  error(path: Buffer, err: Error): void;
}

export interface DeleteCounts {
  deleted: number;
}

/** An entry of the destination that --delete removes: not in the source
 *  (nor a temporary), or excluded (with excluded), or a directory where
 *  the source has something else, or the other way round. */
function isExtra(name: Buffer, isDir: boolean, job: DirJob, src: SourceNames, o: DeleteOptions): boolean {
  if (o.exclude?.(name, job.rel)) return o.excluded;
  const s = src.get(name.toString('latin1'));
  return s === undefined || s !== isDir;
}

/** Removes job's destination entries that are not in its source. */
export async function deleteExtras(job: DirJob, src: SourceNames, o: DeleteOptions, sink: DeleteSink): Promise<DeleteCounts> {
  const counts = { deleted: 0 };
  const here = job.dstWd ? ([job.dstWd, '.'] as const) : job.dstPath;
  if (o.oneFileSystem && (await aio.lstat(here)).dev !== o.rootDev) return counts; // a mount point in the destination
  const batch = await aio.readdirBatch(here);
  const extras: { name: Buffer; type: number }[] = [];
  const swept: Promise<void>[] = [];
  for (let i = 0; i < batch.count; i++) {
    const start = batch.nameStart(i);
    const end = batch.nameEnd(i);
    const name = batch.buf.subarray(start, end);
    if (isTempSpan(batch.buf, start, end)) {
      if (job.dstWd && !o.dryRun && isStaleTemp(name)) swept.push(removeStaleTemp(job.dstWd, name));
      continue;
    }
    let type = batch.type(i);
    if (type === aio.DT_UNKNOWN) type = modeToType((await aio.lstat(joinPath(job.dstPath, name))).mode);
    if (isExtra(name, type === aio.DT_DIR, job, src, o)) extras.push({ name: Buffer.from(name), type });
  }
  let next = 0;
  const worker = async () => {
    while (next < extras.length) {
      const e = extras[next++]!;
      await (e.type === aio.DT_DIR ? removeDir(job, e.name, o, sink, counts) : unlinkOne(job, e, o, sink, counts));
    }
  };
  await Promise.all([...swept, ...Array.from({ length: Math.min(o.parallel, extras.length) }, worker)]);
  return counts;
}

/** A non-directory: one unlink, relative to the directory's handle.
 *  Perf: not aio.rmtree, whose lstat first would double the requests of a
 *  mirror that removes many files. */
async function unlinkOne(job: DirJob, e: { name: Buffer; type: number }, o: DeleteOptions, sink: DeleteSink, counts: DeleteCounts): Promise<void> {
  const path = joinPath(job.dstPath, e.name);
  try {
    if (!o.dryRun) await aio.unlink(job.dstWd ? [job.dstWd, e.name] : path);
    counts.deleted++;
    if (sink.wantsEntries) sink.deleted(rmEntryType(e.type), path);
  } catch (err) {
    if (err instanceof IoaioError && err.code === 'ENOENT') return; // gone meanwhile
    sink.error(path, err instanceof Error ? err : new Error(String(err)));
  }
}

/** A directory and all below it, on rmtree's engine. */
async function removeDir(job: DirJob, name: Buffer, o: DeleteOptions, sink: DeleteSink, counts: DeleteCounts): Promise<void> {
  const path = joinPath(job.dstPath, name);
  try {
    const st = await aio.lstat(path);
    if (o.oneFileSystem && st.isDirectory() && st.dev !== o.rootDev) return; // a mount point: left whole
    const r = await aio.rmtree(path, {
      force: true,
      oneFileSystem: o.oneFileSystem,
      // what the copy leaves out stays, below a removed directory too
      exclude: o.excluded ? undefined : o.globs.filter((g) => !g.includes('/')),
      keep: o.excluded || !st.isDirectory() ? undefined : await keptBelow(path, Buffer.concat([job.rel, name, SLASH]), o),
      dryRun: o.dryRun,
      jobs: 2,
      onEntry: sink.wantsEntries ? (_action, type, p) => sink.deleted(type, p) : undefined,
      onError: (err, p) => sink.error(p, err),
    });
    counts.deleted += r.files + r.dirs + r.symlinks + r.others;
  } catch (e) {
    if (e instanceof IoaioError && e.code === 'ENOENT') return; // gone meanwhile
    sink.error(path, e instanceof Error ? e : new Error(String(e)));
  }
}

const SLASH = Buffer.from('/');

/** Below a directory --delete removes, the entries an --exclude with a '/'
 *  (a path below the copy's root) keeps: found by a walk, since rmtree's
 *  own globs match paths below the directory removed, not below the root.
 *  Undefined when no such glob is given (no walk). */
async function keptBelow(dir: Buffer, rel: Buffer, o: DeleteOptions): Promise<Buffer[] | undefined> {
  if (!o.exclude || !o.globs.some((g) => g.includes('/'))) return undefined;
  const kept: Buffer[] = [];
  const walk = async (d: Buffer, r: Buffer, below: Buffer): Promise<void> => {
    const batch = await aio.readdirBatch(d);
    for (let i = 0; i < batch.count; i++) {
      const name = Buffer.from(batch.buf.subarray(batch.nameStart(i), batch.nameEnd(i)));
      const b = below.length ? Buffer.concat([below, SLASH, name]) : name;
      if (o.exclude!(name, r)) kept.push(b);
      else if (batch.type(i) === aio.DT_DIR) await walk(joinPath(d, name), Buffer.concat([r, name, SLASH]), b);
    }
  };
  await walk(dir, rel, Buffer.alloc(0));
  return kept;
}
