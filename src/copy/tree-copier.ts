// The tree copy engine (cptree's, and mvtree's across filesystems): each
// directory is created first (mode 0700, so we can write into it), listed
// with one readdir, its other entries copied in batches (a copyfiles
// request per directory, one per name when there are few) on libeio's
// threads, and given its own metadata (owner, mode, xattrs, times)
// only when everything below it is done: its times are then final. At most
// maxOutstanding requests are in flight; files are preferred to new
// directories, so the open directory handles stay few (depth first).
import { constants } from 'node:os';
import { aio, copyfileError, IoaioError, type CopyBatch, type CopyfileResult } from '../aio/index.js';
import { deleteExtras, type SourceNames } from './delete.js';
import { closeHandles, listSource, makeDir } from './dir-steps.js';
import { stopsNewWork } from './fatal.js';
import { copyFlags } from './flags.js';
import { HardlinkMap } from './hardlinks.js';
import { batchName, childJob, dirDst, dirSrc, fileDst, filePath, fileSrc, namesBlob, relOf, rootJob, splitBatches, type BatchTask, type DirJob, type FileTask } from './jobs.js';
import type { CopyPlan } from './plan.js';
import { linkName } from './link.js';
import { tally } from './tally.js';
import { owns } from '../shard/partition.js';
import { newCopyCounters, type CopyEvents, type CopyOptions, type CopyShare } from './types.js';

const { EOPNOTSUPP, ECANCELED, ENOENT } = constants.errno;

export class TreeCopier {
  readonly counters = newCopyCounters();
  /** the ENOSPC/EDQUOT error that stopped new work, if one did */
  fatal: IoaioError | undefined;
  interrupted = false;
  /** with opts.track: paths below the root ('' for the root) of the entries
   *  that failed or were kept, whose source must stay (their directories too) */
  readonly unmoved: Buffer[] = [];
  private readonly files: FileTask[] = [];
  private readonly batches: BatchTask[] = [];
  private readonly dirs: DirJob[] = [];
  private readonly open = new Set<DirJob>();
  private readonly links = new HardlinkMap();
  private readonly flags: number;
  /** async work of any kind not finished yet (requests, waits for a hard link's copy) */
  private outstanding = 0;
  private stopped = false;
  /** the device of the destination's root (--delete -x) */
  private dstRootDev = -1;
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

  /** rel: the entry's path below the root, when it is the entry that failed;
   *  onSource: path is the source's (a directory being opened or listed). */
  private fail(path: Buffer, err: unknown, rel?: Buffer, onSource = false): void {
    if (rel?.length && isVanished(err, onSource)) {
      // nothing of it is left to copy or to keep
      this.counters.vanished++;
      this.events.vanished(path);
      return;
    }
    if (rel && this.opts.track) this.unmoved.push(rel);
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
    let where = job.srcPath;
    try {
      job.srcWd = await aio.dirHandle(dirSrc(job));
      if (this.opts.oneFileSystem && job.parent && (await aio.lstat([job.srcWd, '.'])).dev !== this.plan.srcDev) {
        // A mount point: made, but not descended into (as cp -x and rsync -x).
        where = job.dstPath;
        await this.makeDir(job, false);
        job.ok = true;
        return;
      }
      where = job.dstPath;
      await this.makeDir(job);
      job.ok = true;
      where = job.srcPath;
      const { buf, regular, spans, dirs } = await listSource(job, this.opts.exclude);
      if (this.stopped) return;
      if (this.opts.delete && job.existed) {
        // a directory that cannot be read for --delete is reported, and still copied into
        await this.deleteIn(job, sourceNames(buf, regular, spans, dirs)).catch((e: unknown) => this.fail(job.dstPath, e));
        if (this.stopped) return;
      }
      const share = this.opts.share;
      const mine = share ? narrowToShare(job, share, buf, regular, spans, dirs) : { regular, spans, dirs };
      job.pending += (mine.regular.length + mine.spans.length) / 2 + mine.dirs.length;
      for (const name of mine.dirs) this.dirs.push(childJob(job, name));
      this.queueNames(job, buf, mine.regular, true);
      this.queueNames(job, buf, mine.spans, false);
    } catch (e) {
      this.fail(where, e, dirRel(job), where === job.srcPath);
    }
  }

  /** --delete in one directory of the copy, before its entries are copied. */
  private async deleteIn(job: DirJob, src: SourceNames): Promise<void> {
    const { opts, events, counters: c } = this;
    // -x: the copy's root's filesystem is the one deleted in
    if (!job.parent && opts.oneFileSystem) this.dstRootDev = (await aio.lstat(job.dstWd ? [job.dstWd, '.'] : job.dstPath)).dev;
    const r = await deleteExtras(job, src, {
      excluded: opts.delete === 'excluded',
      exclude: opts.exclude,
      globs: opts.excludeGlobs ?? [],
      oneFileSystem: opts.oneFileSystem,
      rootDev: this.dstRootDev,
      dryRun: opts.dryRun,
      parallel: Math.max(1, Math.min(8, opts.maxOutstanding)),
    }, {
      wantsEntries: events.wantsEntries && !!events.deleted,
      deleted: (type, path) => events.deleted!(type, path),
      error: (path, err) => {
        c.errors++;
        events.error(path, err);
      },
    });
    c.deleted += r.deleted;
  }

  /** listed: the directory's entries follow (and with --delete, its reading
   *  for deletion sweeps the stale temporaries too). */
  private async makeDir(job: DirJob, listed = true): Promise<void> {
    const existed = await makeDir(job, this.opts.dryRun, !(this.opts.delete && listed));
    job.existed = existed;
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
    // (a directory every shard writes into gets its metadata once they all have: --finalize)
    const shared = this.opts.share !== undefined && depthOf(job) < this.opts.share.cut;
    if (job.ok && !this.opts.dryRun && !this.stopped && !shared && !(job.existed && this.opts.keepExistingDirMeta)) {
      await aio.copyfile(dirSrc(job), dirDst(job), this.flags | aio.CF_DIR_META).catch((e: unknown) => this.fail(sidePath(e, job.srcPath, job.dstPath), e, dirRel(job)));
    }
    await this.closeHandles(job);
  }

  private async closeHandles(job: DirJob): Promise<void> {
    if (this.open.delete(job)) await closeHandles(job);
  }

  /** A directory's non-directories: in batches when there is a handle on
   *  the destination, one by one by path in a dry run (it may not exist). */
  private queueNames(job: DirJob, buf: Buffer, spans: number[], regular: boolean): void {
    if (job.dstWd) splitBatches(job, buf, spans, this.opts.batch, regular, this.batches);
    else for (let i = 0; i < spans.length; i += 2) this.files.push({ dir: job, name: buf.subarray(spans[i]!, spans[i + 1]!) });
  }

  // ---- everything else ----

  private startBatch(b: BatchTask): void {
    const c = this.counters;
    c.inflight++;
    this.outstanding++;
    c.current = { dir: b.dir, name: batchName(b, 0) };
    aio.copyfiles(b.dir.srcWd!, b.dir.dstWd!, namesBlob(b), this.flags | aio.CF_LINKS | (b.regular ? aio.CF_REGULAR : 0), (err, r) => {
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
        tally(c, o, r.mode(i), r.size(i));
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
      else this.fileFailed(t, copyfileError(errno, r.at(i), filePath(t.dir.srcPath, t.name).toString(), filePath(t.dir.dstPath, t.name).toString()));
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
    if (err.code === 'EISDIR' && err.side === 'src') {
      // readdir could not tell its type: a directory after all (not a
      // directory in the destination where the source has a file)
      this.dirs.push(childJob(t.dir, t.name));
      return;
    }
    this.fail(sidePath(err, filePath(t.dir.srcPath, t.name), filePath(t.dir.dstPath, t.name)), err, relOf(t));
    this.entryDone(t.dir);
  }

  private fileCopied(t: FileTask, r: CopyfileResult): void {
    const st = r.stats;
    this.counted(t, r.outcome, st.mode, st.size, st.dev, st.ino);
  }

  private counted(t: FileTask, outcome: number, mode: number, size: number, dev: number, ino: number): void {
    if (outcome === aio.CF_HARDLINK) return this.hardlink(t, dev, ino);
    const type = tally(this.counters, outcome, mode, size);
    if (outcome === aio.CF_KEPT) {
      // the destination's entry stays, and so does the source's; a later
      // name of the same inode is copied, not linked to what is there
      if (t.link) this.links.settle(t.link.dev, t.link.ino, undefined);
      if (this.opts.track) this.unmoved.push(relOf(t));
      if (this.events.wantsEntries) this.events.entry('keep', type, relOf(t), 0);
      return this.entryDone(t.dir);
    }
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
    c.inflight++;
    this.outstanding++;
    const { update, checksum, dryRun, noClobber, newer } = this.opts;
    const settled = () => {
      c.inflight--;
      this.outstanding--;
      this.entryDone(t.dir);
      this.pump();
    };
    const keep = noClobber ? 'no-clobber' : newer ? 'newer' : undefined;
    linkName(target, fileDst(t), t.dir.dstWd, t.name, { check: update || checksum || dryRun, dryRun, keep }).then(
      (action) => {
        if (action === 'skip') c.skipped++;
        else if (action === 'keep') {
          c.kept++;
          if (this.opts.track) this.unmoved.push(relOf(t));
        } else c.links++;
        if (this.events.wantsEntries) this.events.entry(action, 'file', relOf(t), 0);
        settled();
      },
      (e: unknown) => {
        this.fail(filePath(t.dir.dstPath, t.name), e, relOf(t));
        settled();
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
      if (err) this.fail(sidePath(err, Buffer.from(src), Buffer.from(dst)), err, Buffer.alloc(0));
      else {
        const o = r!.outcome;
        const type = tally(this.counters, o, r!.stats.mode, r!.stats.size);
        if (o === aio.CF_KEPT && this.opts.track) this.unmoved.push(Buffer.alloc(0));
        if (this.events.wantsEntries) this.events.entry(o === aio.CF_SKIPPED ? 'skip' : o === aio.CF_KEPT ? 'keep' : 'copy', type, Buffer.alloc(0), r!.stats.size);
      }
      this.pump();
    });
  }
}

/** The source directory's names (latin1) -> is it a directory, for --delete. */
function sourceNames(buf: Buffer, regular: number[], spans: number[], dirs: Buffer[]): SourceNames {
  const m: SourceNames = new Map();
  for (const list of [regular, spans]) for (let i = 0; i < list.length; i += 2) m.set(buf.toString('latin1', list[i], list[i + 1]), false);
  for (const d of dirs) m.set(d.toString('latin1'), true);
  return m;
}

/** An entry of the source that was not there any more when its copy began:
 *  ENOENT from a copy's first look at its source, or on a source directory. */
function isVanished(err: unknown, onSource: boolean): boolean {
  if (!(err instanceof IoaioError) || err.errno !== ENOENT) return false;
  return onSource || (err.side === 'src' && (err.syscall === 'open' || err.syscall === 'stat' || err.syscall === 'readlink'));
}

/** The path an error line names: the destination's when a call on it failed. */
function sidePath(err: unknown, src: Buffer, dst: Buffer): Buffer {
  return err instanceof IoaioError && err.side === 'dst' ? dst : src;
}

/** A directory's depth below the copy's root (0: the root). */
function depthOf(job: DirJob): number {
  let d = 0;
  for (const b of job.rel) if (b === 0x2f) d++;
  return d;
}

/** The entries of job's listing that are this shard's: below the cut all
 *  of them (the shard owns the subtree); at or above it those whose path's
 *  hash is its own, and every directory above the cut (each shard goes
 *  down those). */
function narrowToShare(job: DirJob, share: CopyShare, buf: Buffer, regular: number[], spans: number[], dirs: Buffer[]): { regular: number[]; spans: number[]; dirs: Buffer[] } {
  const depth = depthOf(job) + 1;
  if (depth > share.cut) return { regular, spans, dirs };
  const owned = (name: Uint8Array) => owns(share.shard, Buffer.concat([job.rel, name]));
  const mine = { regular: [] as number[], spans: [] as number[], dirs: depth < share.cut ? [...dirs] : dirs.filter(owned) };
  for (const [from, to] of [[regular, mine.regular], [spans, mine.spans]] as const) {
    for (let i = 0; i < from.length; i += 2) {
      const name = buf.subarray(from[i]!, from[i + 1]!);
      // a directory whose type readdir did not tell, above the cut: every shard's
      if (from === spans && depth < share.cut && share.shared.has(Buffer.concat([job.rel, name]).toString('latin1'))) mine.dirs.push(name);
      else if (owned(name)) to.push(from[i]!, from[i + 1]!);
    }
  }
  return mine;
}

/** A directory's path below the root, without the trailing slash of job.rel. */
function dirRel(job: DirJob): Buffer {
  return job.rel.length ? job.rel.subarray(0, job.rel.length - 1) : job.rel;
}
