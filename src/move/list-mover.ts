// A move of the entries a list names (mvtree --from-list), or of a shard's
// share of a tree: each entry below SRC goes to the same path below DEST.
// On one filesystem each non-directory is renamed (atomic: it is whole in
// exactly one place at every moment); across filesystems (or where a rename
// says EXDEV) it is copied by the list copier, under a temporary name until
// whole, and its source is unlinked only after a syncfs of DEST that began
// once the copy was done (a batch of copies per syncfs). Directories are
// made in DEST as entries need them, never renamed, for other shards may
// be moving entries through them; the last step gives them their metadata
// and removes their sources once empty (dir-journal.ts). Running the same
// command again finishes an interrupted move: an entry whose source is gone
// while DEST has it was moved before; one still in both is compared by its
// bytes before its source goes.
import { closeSync, lstatSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { aio, IoaioError } from '../aio/index.js';
import { nowMs } from '../aio/clock.js';
import { ListCopier } from '../copy/list-copier.js';
import { pump } from '../copy/pump.js';
import { childRel, dirName, relDepth } from '../copy/paths.js';
import { join } from '../shard/partition.js';
import { newRemoveCounters, type RemoveCounters } from '../remove/index.js';
import { DirJournal, type DirRecord } from './dir-journal.js';
import { below } from './below.js';
import { Renamer } from './rename.js';
import type { MoveCounters, MoveEvents, MoveOptions } from './types.js';

const { ENOENT, ENOTEMPTY, EEXIST } = constants.errno;
/** Perf and memory: copied entries per syncfs before their sources go. */
const SETTLE_AT = 4096;

type Leaf = 'file' | 'symlink' | 'other';

/** An entry to move: dir, a directory made (not moved); tree, a directory
 *  moved whole, with all below it (a shard's subtree's entries); leaves,
 *  a batch of one directory's non-directories. */
export interface MoveEntry {
  rel: Buffer;
  dir: boolean;
  tree?: boolean;
  /** non-directories in the directory rel, by these names: copied by one request */
  leaves?: Buffer[];
}

export class ListMover {
  readonly counters: MoveCounters;
  interrupted = false;
  readonly journal: DirJournal;
  private readonly copier: ListCopier;
  private readonly renamer: Renamer;
  /** SRC and DEST are on different filesystems: every entry is copied */
  private readonly cross: boolean;
  private pending: { rel: Buffer; type: Leaf }[] = [];
  private settling: Promise<void> = Promise.resolve();

  constructor(
    private readonly src: Buffer,
    private readonly dst: Buffer,
    /** read live: -j auto moves maxOutstanding and jobs */
    private readonly opts: MoveOptions,
    private readonly events: MoveEvents,
    /** where this run's directory records go (undefined: in memory only, as a dry run's) */
    journal: Buffer | undefined,
  ) {
    this.journal = new DirJournal(opts.dryRun ? undefined : journal);
    this.copier = new ListCopier(src, dst, {
      reflink: 'auto',
      fsync: false,
      update: false,
      // an entry already in DEST is taken as moved only when its bytes are the source's
      checksum: true,
      dryRun: opts.dryRun,
      xattrs: opts.xattrs,
      oneFileSystem: false,
      noClobber: opts.noClobber,
      newer: opts.newer,
      get maxOutstanding() {
        return opts.maxOutstanding;
      },
      batch: 1,
      deferDirMeta: true,
      movedBefore: true,
      dirs: this.journal,
    }, events.copy(dst));
    this.counters = { renamed: 0, kept: 0, errors: 0, syncSeconds: 0, copy: this.copier.counters, remove: newRemoveCounters(), phase: 'rename' };
    this.renamer = new Renamer(opts, this.counters, events);
    this.cross = deviceOf(src) !== deviceOf(dst);
    if (this.cross) this.counters.phase = 'copy';
  }

  /** SRC and DEST are on different filesystems (a shard's walk then lists every entry below its subtrees). */
  get crossesFilesystems(): boolean {
    return this.cross;
  }

  /** Entries done so far (-j auto's measure of work). */
  work(): number {
    const c = this.counters;
    const k = c.copy;
    const r = c.remove;
    return c.renamed + c.kept + k.files + k.dirs + k.symlinks + k.others + k.links + k.skipped + r.files + r.symlinks + r.others;
  }

  stop(): void {
    this.interrupted = true;
    this.copier.stop();
  }

  /** Moves every entry (paths below SRC; dir: listed as a directory); what
   *  was copied is made durable and its sources removed before this ends. */
  async run(entries: AsyncIterable<MoveEntry>): Promise<void> {
    try {
      await pump(entries, () => this.opts.maxOutstanding, (e) => this.move(e), () => this.interrupted);
    } finally {
      // (interrupted too: what is whole in DEST is settled, not copied again)
      await this.settle();
      this.journal.close();
      await this.copier.close();
    }
  }

  /** cross: every entry is copied, none renamed (SRC and DEST on two filesystems, or below a tree that would not rename). */
  private move(e: MoveEntry, cross = this.cross): Promise<void> {
    return e.leaves ? this.leaves(e.rel, e.leaves, cross) : e.tree ? this.tree(e.rel) : this.entry(e.rel, e.dir, cross);
  }

  private async entry(rel: Buffer, dir: boolean, cross: boolean): Promise<void> {
    if (dir) {
      await this.copier.entry(rel, true);
      return;
    }
    if (!cross) {
      if (!(await this.copier.makeParent(rel))) return;
      const how = await this.renamer.one(join(this.src, rel), join(this.dst, rel), true);
      if (how === 'missing') await this.copier.sourceGone(rel);
      // a directory listed without its slash, onto one DEST has: made, as a listed one
      else if (how === 'merge') await this.copier.entry(rel, true);
      if (how !== 'exdev') return;
    }
    this.copied(rel, await this.copier.entry(rel, false));
  }

  /** A batch of one directory's non-directories: renamed one by one on one
   *  filesystem; across filesystems copied by one request. */
  private async leaves(dir: Buffer, names: Buffer[], cross: boolean): Promise<void> {
    const rels = names.map((n) => childRel(dir, n));
    if (!cross) {
      await Promise.all(rels.map((rel) => this.entry(rel, false, false)));
      return;
    }
    const outcomes = await this.copier.leaves(dir, names);
    outcomes.forEach((o, i) => this.copied(rels[i]!, o));
  }

  /** A copy that ended whole waits for the next syncfs, then its source goes. */
  private copied(rel: Buffer, o: string): void {
    if (o !== 'file' && o !== 'symlink' && o !== 'other') return;
    this.pending.push({ rel, type: o });
    if (this.pending.length >= SETTLE_AT) void this.settle();
  }

  /** A directory and all below it, on one filesystem: one rename (merged
   *  into one DEST has, entry by entry). What will not rename (EXDEV: a
   *  mount point in DEST, say) is copied, entry by entry. */
  private async tree(rel: Buffer): Promise<void> {
    if (!(await this.copier.makeParent(rel))) return;
    const src = join(this.src, rel);
    const dst = join(this.dst, rel);
    const how = await this.renamer.one(src, dst, true);
    if (how === 'missing') await this.copier.sourceGone(rel, 'dir');
    else if (how === 'merge') await this.renamer.merge(src, dst, Buffer.concat([rel, Buffer.from('/')]), (r) => this.across(r));
    else if (how === 'exdev') await this.across(rel);
  }

  /** rel (below SRC) copied, not renamed: a directory entry by entry. */
  private async across(rel: Buffer): Promise<void> {
    const o = await this.copier.entry(rel, true);
    // (not a directory: copied by that call as an entry, its source to go)
    if (o !== 'dir') return this.copied(rel, o);
    const fail = (path: Buffer, err: IoaioError) => {
      this.counters.errors++;
      this.events.error(path, err);
    };
    await pump(below(this.src, rel, this.opts.batch, fail), () => this.opts.maxOutstanding, (e) => this.move(e, true), () => this.interrupted);
  }

  /** The copies so far made durable, then their sources removed (one batch after another). */
  private settle(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.settling = this.settling.then(() => this.removeSources(batch));
    return this.settling;
  }

  private async removeSources(batch: { rel: Buffer; type: Leaf }[]): Promise<void> {
    if (batch.length === 0) return;
    // the directories' records before anything of theirs leaves the source
    this.journal.flush();
    if (this.opts.sync && !this.opts.dryRun && !(await this.syncDest())) return;
    const r = this.counters.remove;
    const events = this.events.remove;
    await pump(interleaved(batch), () => this.opts.maxOutstanding, async ({ rel, type }) => {
      const path = join(this.src, rel);
      if (!this.opts.dryRun) {
        const e = await this.copier.srcDirs.at(rel, (p) => aio.unlink(p)).then(() => undefined, (err: IoaioError) => err);
        if (e?.errno === ENOENT) return;
        if (e) {
          r.errors++;
          events.error(path, e);
          return;
        }
      }
      count(r, type);
      if (events.wantsEntries) events.entry('remove', type, path);
    }, () => false);
  }

  /** Perf: one syncfs for DEST's filesystem per batch, not an fsync per file. false: it failed, nothing of the batch goes. */
  private async syncDest(): Promise<boolean> {
    const started = nowMs();
    let fd: number | undefined;
    try {
      fd = openSync(this.dst, 'r');
      await aio.syncfs(fd);
      return true;
    } catch (e) {
      this.counters.errors++;
      this.events.error(this.dst, e as Error);
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
      this.counters.syncSeconds += (nowMs() - started) / 1000;
    }
  }

  /** The move's last step: each directory made or found (records: every
   *  journal's), deepest first, gets its metadata (a made one) and loses its
   *  source once that is empty. What stayed there (kept, failed, not
   *  listed) keeps its source directories, silently. */
  async finishDirs(records: Map<string, DirRecord>): Promise<void> {
    // Perf: one depth at a time, deepest first, its directories in parallel
    // (a directory's children are all done before it)
    const byDepth = new Map<number, Buffer[]>();
    for (const k of records.keys()) {
      const rel = Buffer.from(k, 'latin1');
      const d = relDepth(rel);
      byDepth.set(d, [...(byDepth.get(d) ?? []), rel]);
    }
    for (const d of [...byDepth.keys()].sort((a, b) => b - a)) {
      if (this.interrupted) return;
      await pump(interleaved(byDepth.get(d)!.map((rel) => ({ rel }))), () => this.opts.maxOutstanding, ({ rel }) => this.finishDir(rel, records.get(rel.toString('latin1'))!), () => this.interrupted);
    }
  }

  private async finishDir(rel: Buffer, rec: DirRecord): Promise<void> {
    const r = this.counters.remove;
    const events = this.events.remove;
    const path = join(this.src, rel);
    if (!this.opts.dryRun) {
      // (a source gone: an earlier run gave its copy the metadata, then removed it)
      if (rec.made && !(await this.copier.setDirMeta(rel, rec.times))) return;
      const e = await aio.rmdir(path).then(() => undefined, (err: IoaioError) => err);
      if (e && (e.errno === ENOTEMPTY || e.errno === EEXIST || e.errno === ENOENT)) return;
      if (e) {
        r.errors++;
        events.error(path, e);
        return;
      }
    }
    r.dirs++;
    if (events.wantsEntries) events.entry('rmdir', 'dir', path);
  }
}

/** Perf: the batch one directory at a time in turn. The kernel takes a
 *  directory's lock for each unlink in it, so unlinks in one directory
 *  wait for each other: on the FUSE fixture (1 ms an operation) a batch of
 *  4,096 in list order took 2.5 s. */
async function* interleaved<T extends { rel: Buffer }>(batch: T[]): AsyncGenerator<T> {
  const byDir = new Map<string, T[]>();
  for (const e of batch) {
    const i = e.rel.lastIndexOf(0x2f);
    const key = i < 0 ? '' : e.rel.subarray(0, i).toString('latin1');
    let list = byDir.get(key);
    if (!list) byDir.set(key, (list = []));
    list.push(e);
  }
  const lists = [...byDir.values()];
  for (let k = 0, left = batch.length; left > 0; k++) {
    for (const list of lists) {
      if (k < list.length) {
        left--;
        yield list[k]!;
      }
    }
  }
}

function count(r: RemoveCounters, type: Leaf): void {
  if (type === 'file') r.files++;
  else if (type === 'symlink') r.symlinks++;
  else r.others++;
}

/** The filesystem a path is on (DEST's parent's while DEST is not there yet). */
function deviceOf(p: Buffer): number {
  try {
    return lstatSync(p).dev;
  } catch {
    return lstatSync(dirName(p)).dev;
  }
}
