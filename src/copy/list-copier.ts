// cptree --from-list: the entries a list names (paths below SRC, as
// treescan prints them with SRC/ in front or without), each copied by one
// request with its parents made as needed, at most maxOutstanding at once,
// as the list streams in. A directory in the list is made; it gets the
// source's metadata at the end, deepest first, once nothing more is
// copied into it (under --shard: by --finalize, after every shard). So a
// scan done once feeds N workers, as fpart's lists feed fpsync.
// Hard links: within one run, the first name of an inode is copied and
// the others are linked to it; names in two shards' shares become two copies.
import { constants } from 'node:os';
import { aio, copyfileError, IoaioError, type CopyBatch, type Stats } from '../aio/index.js';
import { join } from '../shard/partition.js';
import { DirHandles } from './dir-handles.js';
import { copyFlags } from './flags.js';
import { HardlinkMap } from './hardlinks.js';
import { pump } from './pump.js';
import { tally } from './tally.js';
import { removeStaleTemps } from './temp-names.js';
import { childRel, relDepth } from './paths.js';
import { newCopyCounters, type CopyEvents, type CopyOptions, type EntryType } from './types.js';

const { EISDIR, ENOENT, EEXIST } = constants.errno;
const SLASH = 0x2f;
const NUL = Buffer.from([0]);

export interface ListCopyOptions extends CopyOptions {
  /** the directories' metadata is left to --finalize (a shard's run) */
  deferDirMeta: boolean;
  /** a move's list (mvtree): a source that is gone while DST has the entry
   *  was moved by an earlier run (counted up to date, not vanished) */
  movedBefore?: boolean;
  /** told of each mkdir in DST: before it, with the source's stat (taken
   *  before anything could be moved out of it), and when it found one there */
  dirs?: DirWatcher;
}

export interface DirWatcher {
  beforeMkdir(rel: Buffer, src: Stats | undefined): void;
  existed(rel: Buffer): void;
}

/** How one list entry ended: its type when it is now whole in DST (copied,
 *  linked, up to date; 'dir' made or found), or why not. 'gone': its source
 *  is gone and DST has it (movedBefore). */
export type ListOutcome = EntryType | 'kept' | 'failed' | 'vanished' | 'gone';

/** A list entry's path below SRC ('' for SRC itself), without a trailing slash; its directory-ness. */
export function listRel(src: Buffer, path: Buffer): { rel: Buffer; dir: boolean } {
  let end = path.length;
  const dir = end > 0 && path[end - 1] === SLASH;
  while (end > 0 && path[end - 1] === SLASH) end--;
  let p = path.subarray(0, end);
  let s = src.length;
  while (s > 1 && src[s - 1] === SLASH) s--;
  const root = src.subarray(0, s);
  if (p.equals(root)) return { rel: Buffer.alloc(0), dir: true };
  if (p.length > root.length && p[root.length] === SLASH && p.subarray(0, root.length).equals(root)) p = p.subarray(root.length + 1);
  while (p.length && p[0] === SLASH) p = p.subarray(1);
  return { rel: p, dir };
}

export class ListCopier {
  readonly counters = newCopyCounters();
  interrupted = false;
  private readonly flags: number;
  private stopped = false;
  /** directories named by the list (rel, latin1): their metadata at the end */
  private readonly dirs = new Set<string>();
  private readonly links = new HardlinkMap();
  /** directories made (or found) so far, so each is made once */
  private readonly made = new Map<string, Promise<boolean | undefined>>();
  /** Perf: each entry named from its directory's handle (on the FUSE
   *  fixture a move of 10,000 files made 90,608 lookups by path, 4.4 times
   *  a tree move's) */
  readonly srcDirs: DirHandles;
  private readonly dstDirs: DirHandles;

  constructor(
    private readonly src: Buffer,
    private readonly dst: Buffer,
    private readonly opts: ListCopyOptions,
    private readonly events: CopyEvents,
  ) {
    this.flags = copyFlags(opts);
    this.srcDirs = new DirHandles(src);
    this.dstDirs = new DirHandles(dst);
  }

  /** The directory handles close (at the end). */
  close(): Promise<void> {
    return Promise.all([this.srcDirs.close(), this.dstDirs.close()]).then(() => undefined);
  }

  /** copyfile of rel, each side from its directory's handle. */
  private copyAt(rel: Buffer, flags: number) {
    return this.srcDirs.at(rel, (s) => this.dstDirs.at(rel, (d) => aio.copyfile(s, d, flags)));
  }

  stop(): void {
    this.interrupted = true;
    this.stopped = true;
  }

  /** Copies every entry of rels (paths below SRC, as listRel gives them). */
  async run(entries: AsyncIterable<{ rel: Buffer; dir: boolean }>): Promise<void> {
    try {
      await pump(entries, () => this.opts.maxOutstanding, (e) => this.entry(e.rel, e.dir), () => this.stopped);
    } finally {
      await this.close();
    }
    if (!this.stopped && !this.opts.deferDirMeta && !this.opts.dryRun) await this.dirMeta();
  }

  /** The directories' metadata from the source, deepest first. */
  async dirMeta(): Promise<void> {
    const rels = [...this.dirs].map((r) => Buffer.from(r, 'latin1')).sort((a, b) => relDepth(b) - relDepth(a));
    for (const rel of rels) await this.setDirMeta(rel);
  }

  /** One directory's metadata from the source's; times: its access and
   *  modification times (ns) instead, when they were taken earlier (a
   *  move). false: not set; in a move (movedBefore) a source already gone
   *  is no error, an earlier run having set it and removed the source. */
  async setDirMeta(rel: Buffer, times?: readonly [bigint, bigint]): Promise<boolean> {
    const dst = join(this.dst, rel);
    try {
      await aio.copyfile(join(this.src, rel), dst, this.flags | aio.CF_DIR_META);
      if (times) await aio.utime(dst, times[0], times[1]);
      return true;
    } catch (e) {
      const err = e as IoaioError;
      if (!(this.opts.movedBefore && err.errno === ENOENT && err.side === 'src')) this.fail(err.side === 'src' ? join(this.src, rel) : dst, err);
      return false;
    }
  }

  /** dst as another name of target; false when it cannot be (it is then copied). */
  private async link(target: Buffer, dst: Buffer): Promise<boolean> {
    if (this.opts.dryRun) return true;
    try {
      await aio.link(target, dst);
      return true;
    } catch (e) {
      if ((e as IoaioError).errno !== EEXIST) return false;
      // already that inode (a re-run): done; else replaced by the link
      const [a, b] = await Promise.all([aio.lstat(target), aio.lstat(dst)]).catch(() => [undefined, undefined]);
      if (a && b && a.dev === b.dev && a.ino === b.ino) return true;
      return aio.unlink(dst).then(() => aio.link(target, dst)).then(() => true, () => false);
    }
  }

  private fail(path: Buffer, err: Error): void {
    this.counters.errors++;
    this.events.error(path, err);
  }

  /** One entry of the list, its parents made as needed. */
  async entry(rel: Buffer, dir: boolean): Promise<ListOutcome> {
    const c = this.counters;
    c.inflight++;
    try {
      if (dir) return await this.directory(rel);
      if (!(await this.makeParent(rel))) return 'failed';
      const dst = join(this.dst, rel);
      let r = await this.copyAt(rel, this.flags | aio.CF_LINKS);
      if (r.outcome === aio.CF_HARDLINK) {
        const { dev, ino } = r.stats;
        const claim = this.links.claim(dev, ino);
        const target = claim === 'copy' ? undefined : await claim;
        if (target && (await this.link(target, dst))) {
          c.links++;
          if (this.events.wantsEntries) this.events.entry('link', 'file', rel, 0);
          return 'file';
        }
        r = await this.copyAt(rel, this.flags).catch((e: unknown) => {
          if (claim === 'copy') this.links.settle(dev, ino, undefined);
          throw e;
        });
        if (claim === 'copy') this.links.settle(dev, ino, dst);
      }
      return this.copied(rel, r.outcome, r.stats.mode, r.stats.size);
    } catch (e) {
      return await this.copyFailed(rel, e as Error);
    } finally {
      c.inflight--;
    }
  }

  /** A copy that ended (copied, up to date or kept), counted and reported. */
  private copied(rel: Buffer, outcome: number, mode: number, size: number): ListOutcome {
    const type = tally(this.counters, outcome, mode, size);
    if (outcome === aio.CF_KEPT) return 'kept';
    if (this.events.wantsEntries) this.events.entry(outcome === aio.CF_SKIPPED ? 'skip' : 'copy', type, rel, type === 'file' ? size : 0);
    return type;
  }

  /** A copy that failed: a source that is a directory (listed without its
   *  slash, a pstat list's, say) is made; one that is gone is sourceGone's;
   *  anything else is reported. */
  private async copyFailed(rel: Buffer, err: Error): Promise<ListOutcome> {
    if (err instanceof IoaioError && err.side === 'src') {
      if (err.errno === EISDIR) return this.directory(rel);
      if (err.errno === ENOENT) return this.sourceGone(rel);
    }
    this.fail(err instanceof IoaioError && err.side === 'dst' ? join(this.dst, rel) : join(this.src, rel), err);
    return 'failed';
  }

  /** Non-directories of one directory (dir below SRC; names in it) copied by
   *  one request, as a tree copy batches them; each one's outcome, in order.
   *  A name with other hard links, or one a batch cannot copy, goes alone. */
  async leaves(dir: Buffer, names: readonly Buffer[]): Promise<ListOutcome[]> {
    const rels = names.map((n) => childRel(dir, n));
    if (this.stopped) return rels.map(() => 'failed');
    if ((await this.makeDir(dir)) === undefined) return rels.map(() => 'failed');
    const c = this.counters;
    c.inflight++;
    let r: CopyBatch | Error | undefined;
    try {
      r = await this.srcDirs.of(dir, (s) => this.dstDirs.of(dir, async (d) => (s && d ? aio.copyfiles(s, d, Buffer.concat(names.flatMap((n) => [n, NUL])), this.flags | aio.CF_LINKS) : undefined))).catch((e: Error) => e);
    } finally {
      c.inflight--;
    }
    // (a directory that could not be opened, or the request itself failed: each name alone says why)
    if (!r || r instanceof Error) return Promise.all(rels.map((rel) => this.entry(rel, false)));
    const out: ListOutcome[] = [];
    for (let i = 0; i < rels.length; i++) {
      const o = r.outcome(i);
      const rel = rels[i]!;
      // (a name with other links: alone, for the link to its first name's copy)
      if (o === aio.CF_HARDLINK) out.push(await this.entry(rel, false));
      else if (o < 0) out.push(await this.copyFailed(rel, copyfileError(-o, r.at(i), join(this.src, rel).toString(), join(this.dst, rel).toString())));
      else out.push(this.copied(rel, o, r.mode(i), r.size(i)));
    }
    return out;
  }

  /** The source of rel was not there: vanished, or (movedBefore, DST has it) moved by an earlier run. */
  async sourceGone(rel: Buffer, type: EntryType = 'file'): Promise<'vanished' | 'gone'> {
    if (this.opts.movedBefore && (await aio.lstat(join(this.dst, rel)).then(() => true, () => false))) {
      this.counters.skipped++;
      if (this.events.wantsEntries) this.events.entry('skip', type, rel, 0);
      return 'gone';
    }
    this.counters.vanished++;
    this.events.vanished(join(this.src, rel));
    return 'vanished';
  }

  /** A directory of the list: made (its parents too), its metadata at the end. */
  private async directory(rel: Buffer): Promise<ListOutcome> {
    const st = await aio.lstat(join(this.src, rel)).catch((e: IoaioError) => e);
    if (st instanceof Error) {
      if (st.errno === ENOENT) return this.sourceGone(rel, 'dir');
      this.fail(join(this.src, rel), st);
      return 'failed';
    }
    if (!st.isDirectory()) return this.entry(rel, false);
    this.dirs.add(rel.toString('latin1'));
    const existed = await this.makeDir(rel, st);
    if (existed === undefined) return 'failed';
    if (this.events.wantsEntries) this.events.entry(existed ? 'skip' : 'mkdir', 'dir', rel, 0);
    return 'dir';
  }

  /** The directory rel goes into, made as needed: false when it could not be (reported). */
  async makeParent(rel: Buffer): Promise<boolean> {
    return (await this.makeDir(parent(rel))) !== undefined;
  }

  /** Only collects the list's directories, for --finalize: their metadata then comes from dirMeta(). */
  async collectDirs(entries: AsyncIterable<{ rel: Buffer; dir: boolean }>): Promise<void> {
    for await (const e of entries) {
      const st = await aio.lstat(join(this.src, e.rel)).catch(() => undefined);
      if (st?.isDirectory()) this.dirs.add(e.rel.toString('latin1'));
    }
  }

  /** mkdir -p (0700 until its metadata comes; counted when made here):
   *  false when made now, true when it was there (or another entry made it),
   *  undefined when it or a parent failed (reported once, by the first to
   *  try). st: the source's lstat, when the caller has just taken it. */
  private makeDir(rel: Buffer, st?: Stats): Promise<boolean | undefined> {
    const key = rel.toString('latin1');
    const had = this.made.get(key);
    if (had) return had.then((r) => (r === undefined ? undefined : true));
    const p = this.mkdirOnce(rel, st);
    this.made.set(key, p);
    return p;
  }

  private async mkdirOnce(rel: Buffer, known?: Stats): Promise<boolean | undefined> {
    // (DST itself too: the list's order is no promise that it comes first)
    if (rel.length && (await this.makeDir(parent(rel))) === undefined) return undefined;
    if (this.opts.dryRun) return false;
    const dst = join(this.dst, rel);
    const watcher = this.opts.dirs;
    if (watcher) {
      const st = known ?? (await aio.lstat(join(this.src, rel)).catch(() => undefined));
      watcher.beforeMkdir(rel, st?.isDirectory() ? st : undefined);
    }
    const e = await aio.mkdir(dst, 0o700).then(() => undefined, (err: IoaioError) => err);
    if (e === undefined) {
      this.counters.dirs++;
      return false;
    }
    if (e.errno === EEXIST) {
      watcher?.existed(rel);
      // (a run killed outright left its temporaries here: as a tree copy does, they go)
      await removeStaleTemps(dst).catch(() => undefined);
      return true;
    }
    this.fail(dst, e);
    return undefined;
  }
}

/** The directory rel is in ('' for a name at the top). */
function parent(rel: Buffer): Buffer {
  const i = rel.lastIndexOf(SLASH);
  return i > 0 ? rel.subarray(0, i) : Buffer.alloc(0);
}
