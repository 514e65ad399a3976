// The directory steps of a tree copy that need no scheduler state: making
// the copy of a directory (and a handle on it), and closing the handles.
import { aio, type IoaioError, type Wd } from '../aio/index.js';
import { dirDst, type DirJob } from './jobs.js';
import { isTempSpan, removeStaleTemps } from './temp-names.js';

/** Creates job's copy (mode 0700 until its contents are done, so we can
 *  write into it) and opens a handle on it; an existing directory is used
 *  and cleared of our stale temporaries (unless sweep is false: --delete's
 *  own reading of the directory does it). A dry run only looks. Resolves to
 *  whether it existed. */
export async function makeDir(job: DirJob, dry: boolean, sweep = true): Promise<boolean> {
  // a non-directory there would be replaced (--delete) or fail: not a directory that exists
  if (dry) return aio.lstat(job.dstPath).then((st) => st.isDirectory(), () => false);
  let existed = false;
  await aio.mkdir(dirDst(job), 0o700).catch((e: IoaioError) => {
    if (e.code !== 'EEXIST') throw e;
    existed = true;
  });
  // Not a directory there: the handle fails with ENOTDIR, reported.
  job.dstWd = await aio.dirHandle(dirDst(job));
  if (existed && sweep) await removeStaleTemps(job.dstWd);
  return existed;
}

export async function closeHandles(job: DirJob): Promise<void> {
  const close = (w: Wd | undefined) => (w && !w.closed ? w.close().catch(() => undefined) : undefined);
  await Promise.all([close(job.srcWd), close(job.dstWd)]);
}

/** The source directory's entries: subdirectories by name, regular files
 *  (by d_type) and the rest as spans of names in readdir's buffer (Perf: no
 *  Buffer per name). Excluded entries and our own temporaries (a
 *  destination used as a source) are left out. */
export async function listSource(job: DirJob, exclude: ((name: Buffer, rel: Buffer) => boolean) | undefined): Promise<{ buf: Buffer; regular: number[]; spans: number[]; dirs: Buffer[] }> {
  const batch = await aio.readdirBatch([job.srcWd!, '.']);
  const buf = batch.buf;
  const regular: number[] = [];
  const spans: number[] = [];
  const dirs: Buffer[] = [];
  for (let i = 0; i < batch.count; i++) {
    const start = batch.nameStart(i);
    const end = batch.nameEnd(i);
    if ((exclude && exclude(buf.subarray(start, end), job.rel)) || isTempSpan(buf, start, end)) continue;
    const type = batch.type(i);
    if (type === aio.DT_DIR) dirs.push(buf.subarray(start, end));
    else if (type === aio.DT_REG) regular.push(start, end);
    else spans.push(start, end);
  }
  return { buf, regular, spans, dirs };
}
