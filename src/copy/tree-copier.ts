// The tree copy engine (cptree's, and mvtree's across filesystems): each
// directory is created first (mode 0700, so we can write into it), listed
// with one readdir, its entries copied by one copyfile request each on
// libeio's threads, and given its own metadata (owner, mode, xattrs, times)
// only when everything below it is done: its times are then final. At most
// maxOutstanding requests are in flight; files are preferred to new
// directories, so the open directory handles stay few (depth first).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { aio, CF_TEMP_PREFIX, IoaioError, type CopyBatch, type CopyfileResult, type PathArg, type Wd } from '../aio/index.js';
import { stopsNewWork } from './fatal.js';
import { copyFlags } from './flags.js';
import { HardlinkMap } from './hardlinks.js';
import { batchName, childJob, dirDst, dirSrc, fileDst, filePath, fileSrc, namesBlob, relOf, rootJob, type BatchTask, type DirJob, type FileTask } from './jobs.js';
import type { CopyPlan } from './plan.js';
import { isTempSpan, removeStaleTemps } from './temp-names.js';
import { newCopyCounters, type CopyEvents, type CopyOptions, type EntryType } from './types.js';

const S_IFMT = 0o170000;
const { EOPNOTSUPP, ECANCELED, EISDIR } = constants.errno;
const TYPES: Record<number, EntryType> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink' };

export class TreeCopier {
  readonly counters = newCopyCounters();
  /** the ENOSPC/EDQUOT error that stopped new work, if one did */
  fatal: IoaioError | undefined;
  interrupted = false;
  private readonly files: FileTask[] = [];
  private readonly batches: BatchTask[] = [];
  private readonly dirs: DirJob[] = [];
  private readonly open = new Set<DirJob>();
  private readonly links = new HardlinkMap();
  private readonly flags: number;
  /** async work of any kind not finished yet (requests, waits for a hard link's copy) */
  private outstanding = 0;
  private stopped = false;
  private finish: (() => void) | undefined;

  constructor(
    private readonly plan: CopyPlan,
    private readonly opts: CopyOptions,
    private readonly events: CopyEvents,
  ) {
    this.flags = copyFlags(opts);
  }

  /** Copies the whole plan; resolves when all is done, or stopped and settled. */
  async run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    if (this.plan.srcIsDir) this.dirs.push(rootJob(this.plan.src, this.plan.dst));
    else this.copySingle();
    this.pump();
    await done;
    // A stopped copy leaves directories unfinished: their handles close here.
    await Promise.all([...this.open].map((j) => this.closeHandles(j)));
  }

  /** Ctrl-C: nothing new starts; requests in flight end normally (each
   *  either renames a complete copy into place or removes its temporary). */
  stop(): void {
    this.interrupted = true;
    this.halt();
  }

  private halt(): void {
    this.stopped = true;
    this.files.length = 0;
    this.batches.length = 0;
    this.dirs.length = 0;
    this.checkDone();
  }

  private pump(): void {
    const max = this.opts.maxOutstanding;
    const c = this.counters;
    while (!this.stopped && c.inflight < max) {
      const b = this.batches.pop();
      if (b) {
        this.startBatch(b);
        continue;
      }
      const f = this.files.pop();
      if (f) this.startFile(f, this.flags | aio.CF_LINKS);
      else {
        const d = this.dirs.pop();
        if (!d) break;
        this.startDir(d);
      }
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.outstanding === 0 && (this.stopped || (this.files.length === 0 && this.batches.length === 0 && this.dirs.length === 0))) {
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }

  private fail(path: Buffer, err: unknown): void {
    let e = err instanceof Error ? err : new Error(String(err));
    if (e instanceof IoaioError && e.errno === EOPNOTSUPP && this.opts.reflink === 'always') {
      e = new Error('cannot share blocks with the source here (--reflink=always)', { cause: e });
    }
    this.counters.errors++;
    this.events.error(path, e);
    if (e instanceof IoaioError && stopsNewWork(e) && !this.fatal) {
      this.fatal = e;
      this.halt();
    }
  }

  // ---- directories ----

  private startDir(job: DirJob): void {
    this.counters.inflight++;
    this.outstanding++;
    this.open.add(job);
    // openDir reports its own failures; the directory's listing is then done either way
    void this.openDir(job).then(() => {
      this.counters.inflight--;
      this.outstanding--;
      this.entryDone(job);
      this.pump();
    });
  }

  /** Creates the copy, lists the source, queues the entries. Failures are
   *  reported here (the directory then gets no metadata and no contents). */
  private async openDir(job: DirJob): Promise<void> {
    const dry = this.opts.dryRun;
    let where = job.srcPath;
    try {
      job.srcWd = await aio.dirHandle(dirSrc(job));
      if (this.opts.oneFileSystem && job.parent && (await aio.lstat([job.srcWd, '.'])).dev !== this.plan.srcDev) {
        // A mount point: made, but not descended into (as cp -x and rsync -x).
        await this.makeDir(job, dry);
        job.ok = true;
        return;
      }
      where = job.dstPath;
      await this.makeDir(job, dry);
      job.ok = true;
      where = job.srcPath;
      const batch = await aio.readdirBatch([job.srcWd, '.']);
      if (this.stopped) return;
      const exclude = this.opts.exclude;
      const buf = batch.buf;
      const spans: number[] = [];
      for (let i = 0; i < batch.count; i++) {
        const start = batch.nameStart(i);
        const end = batch.nameEnd(i);
        // Our own temporaries (a destination tree used as a source) are not copied.
        if ((exclude && exclude(buf.subarray(start, end), job.rel)) || isTempSpan(buf, start, end)) continue;
        job.pending++;
        if (batch.type(i) === aio.DT_DIR) this.dirs.push(childJob(job, buf.subarray(start, end)));
        else spans.push(start, end);
      }
      this.queueNames(job, buf, spans);
    } catch (e) {
      this.fail(where, e);
    }
  }

  private async makeDir(job: DirJob, dry: boolean): Promise<void> {
    let existed = false;
    if (dry) {
      existed = await aio.lstat(job.dstPath).then(() => true, () => false);
    } else {
      await aio.mkdir(dirDst(job), 0o700).catch((e: IoaioError) => {
        if (e.code !== 'EEXIST') throw e;
        existed = true;
      });
      // Not a directory there: the handle fails with ENOTDIR, reported.
      job.dstWd = await aio.dirHandle(dirDst(job));
      if (existed) await removeStaleTemps(job.dstWd);
    }
    if (!existed) this.counters.dirs++;
    if (this.events.wantsEntries) this.events.entry(existed ? 'skip' : 'mkdir', 'dir', job.rel, 0);
  }

  /** One entry below job (or its own listing) finished. */
  private entryDone(job: DirJob): void {
    if (--job.pending > 0) return;
    this.outstanding++;
    this.finishDir(job).finally(() => {
      this.outstanding--;
      if (job.parent) this.entryDone(job.parent);
      this.pump();
    });
  }

  private async finishDir(job: DirJob): Promise<void> {
    if (job.ok && !this.opts.dryRun && !this.stopped) {
      await aio.copyfile(dirSrc(job), dirDst(job), this.flags | aio.CF_DIR_META).catch((e) => this.fail(job.dstPath, e));
    }
    await this.closeHandles(job);
  }

  private async closeHandles(job: DirJob): Promise<void> {
    if (!this.open.delete(job)) return;
    const close = (w: Wd | undefined) => (w && !w.closed ? w.close().catch(() => undefined) : undefined);
    await Promise.all([close(job.srcWd), close(job.dstWd)]);
  }

  /** A directory's non-directories: in batches when there is a handle on
   *  the destination, one by one by path in a dry run (it may not exist).
   *  Perf: a whole directory (up to opts.batch names) goes to one thread:
   *  threads creating names in the same directory contend for its lock. A
   *  directory of a few names gives each its own request, so a few big
   *  files are still copied in parallel. */
  private queueNames(job: DirJob, buf: Buffer, spans: number[]): void {
    const n = spans.length / 2;
    if (!job.dstWd) {
      for (let i = 0; i < spans.length; i += 2) this.files.push({ dir: job, name: buf.subarray(spans[i]!, spans[i + 1]!) });
      return;
    }
    const size = n <= 8 ? 1 : Math.min(this.opts.batch, n);
    for (let i = 0; i < n; i += size) this.batches.push({ dir: job, buf, spans: spans.slice(2 * i, 2 * Math.min(n, i + size)) });
  }

  // ---- everything else ----

  private startBatch(b: BatchTask): void {
    const c = this.counters;
    c.inflight++;
    this.outstanding++;
    c.current = { dir: b.dir, name: batchName(b, 0) };
    aio.copyfiles(b.dir.srcWd!, b.dir.dstWd!, namesBlob(b), this.flags | aio.CF_LINKS, (err, r) => {
      c.inflight--;
      this.outstanding--;
      if (err) {
        // the request itself failed (no memory): every name did
        for (let i = 0; i < b.spans.length / 2; i++) this.fileFailed({ dir: b.dir, name: batchName(b, i) }, err);
      } else this.batchDone(b, r!);
      this.pump();
    });
  }

  private batchDone(b: BatchTask, r: CopyBatch): void {
    const c = this.counters;
    const plain = !this.events.wantsEntries;
    for (let i = 0, n = b.spans.length / 2; i < n; i++) {
      const o = r.outcome(i);
      // Perf: the common case (copied or up to date, nobody listening) allocates nothing.
      if (plain && (o === aio.CF_COPIED || o === aio.CF_SKIPPED)) {
        const mode = r.mode(i) & S_IFMT;
        if (o === aio.CF_SKIPPED) c.skipped++;
        else if (mode === 0o100000) {
          c.files++;
          c.bytes += r.size(i);
        } else if (mode === 0o120000) c.symlinks++;
        else c.others++;
        this.entryDone(b.dir);
        continue;
      }
      const t: FileTask = { dir: b.dir, name: Buffer.from(batchName(b, i)) };
      if (o >= 0) {
        this.counted(t, o, r.mode(i), r.size(i), r.dev(i), r.ino(i));
        continue;
      }
      const errno = -o;
      if (errno === ECANCELED) this.entryDone(t.dir); // not tried: the destination filled up
      else if (errno === EISDIR) this.dirs.push(childJob(t.dir, t.name));
      else this.fileFailed(t, new IoaioError({ errno, syscall: 'copyfile', path: filePath(t.dir.srcPath, t.name).toString() }));
    }
  }

  private startFile(t: FileTask, flags: number): void {
    const c = this.counters;
    c.inflight++;
    this.outstanding++;
    c.current = t;
    aio.copyfile(fileSrc(t), fileDst(t), flags, (err, r) => {
      c.inflight--;
      this.outstanding--;
      if (err) this.fileFailed(t, err);
      else this.fileCopied(t, r!);
      this.pump();
    });
  }

  private fileFailed(t: FileTask, err: IoaioError): void {
    if (t.link) this.links.settle(t.link.dev, t.link.ino, undefined);
    if (err.code === 'EISDIR') {
      // readdir could not tell its type: a directory after all
      this.dirs.push(childJob(t.dir, t.name));
      return;
    }
    this.fail(filePath(t.dir.srcPath, t.name), err);
    this.entryDone(t.dir);
  }

  private fileCopied(t: FileTask, r: CopyfileResult): void {
    const st = r.stats;
    this.counted(t, r.outcome, st.mode, st.size, st.dev, st.ino);
  }

  private counted(t: FileTask, outcome: number, mode: number, size: number, dev: number, ino: number): void {
    if (outcome === aio.CF_HARDLINK) return this.hardlink(t, dev, ino);
    const type = TYPES[mode & S_IFMT] ?? 'other';
    const c = this.counters;
    if (outcome === aio.CF_SKIPPED) c.skipped++;
    else if (type === 'file') {
      c.files++;
      c.bytes += size;
    } else if (type === 'symlink') c.symlinks++;
    else c.others++;
    if (t.link) this.links.settle(t.link.dev, t.link.ino, filePath(t.dir.dstPath, t.name));
    if (this.events.wantsEntries) this.events.entry(outcome === aio.CF_SKIPPED ? 'skip' : 'copy', type, relOf(t), type === 'file' ? size : 0);
    this.entryDone(t.dir);
  }

  /** A name of an inode with several links: copied once, linked otherwise. */
  private hardlink(t: FileTask, dev: number, ino: number): void {
    const claim = this.links.claim(dev, ino);
    if (claim === 'copy') {
      t.link = { dev, ino };
      return this.startFile(t, this.flags);
    }
    this.outstanding++;
    claim.then((target) => {
      this.outstanding--;
      if (this.stopped) return this.checkDone();
      if (!target) {
        t.link = { dev, ino };
        this.startFile(t, this.flags);
      } else this.linkTo(t, target);
    });
  }

  private linkTo(t: FileTask, target: Buffer): void {
    const c = this.counters;
    const done = () => {
      if (this.events.wantsEntries) this.events.entry('link', 'file', relOf(t), 0);
      this.entryDone(t.dir);
      this.pump();
    };
    c.inflight++;
    this.outstanding++;
    const work = async (): Promise<'link' | 'skip'> => {
      // Already that inode (an earlier run's link): nothing to do.
      if ((this.opts.update || this.opts.checksum || this.opts.dryRun) && (await sameInode(target, fileDst(t)))) return 'skip';
      if (!this.opts.dryRun) await linkAtomically(target, t.dir.dstWd!, t.name);
      return 'link';
    };
    work().then(
      (action) => {
        c.inflight--;
        this.outstanding--;
        if (action === 'skip') {
          c.skipped++;
          if (this.events.wantsEntries) this.events.entry('skip', 'file', relOf(t), 0);
          this.entryDone(t.dir);
          return this.pump();
        }
        c.links++;
        done();
      },
      (e: unknown) => {
        c.inflight--;
        this.outstanding--;
        this.fail(filePath(t.dir.dstPath, t.name), e);
        this.entryDone(t.dir);
        this.pump();
      },
    );
  }

  /** SRC is not a directory: one copyfile, to DST itself. */
  private copySingle(): void {
    const { src, dst } = this.plan;
    this.counters.inflight++;
    this.outstanding++;
    aio.copyfile(src, dst, this.flags, (err, r) => {
      this.counters.inflight--;
      this.outstanding--;
      if (err) this.fail(Buffer.from(src), err);
      else {
        const type = TYPES[r!.stats.mode & S_IFMT] ?? 'other';
        if (r!.outcome === aio.CF_SKIPPED) this.counters.skipped++;
        else if (type === 'file') {
          this.counters.files++;
          this.counters.bytes += r!.stats.size;
        } else if (type === 'symlink') this.counters.symlinks++;
        else this.counters.others++;
        if (this.events.wantsEntries) this.events.entry(r!.outcome === aio.CF_SKIPPED ? 'skip' : 'copy', type, Buffer.alloc(0), r!.stats.size);
      }
      this.pump();
    });
  }
}

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
  const tmp = CF_TEMP_PREFIX + randomBytes(8).toString('hex');
  const tmpArg: PathArg = [dir, tmp];
  await aio.link(target, tmpArg);
  try {
    await aio.rename(tmpArg, [dir, name]);
  } finally {
    await aio.unlink(tmpArg).catch(() => undefined);
  }
}
