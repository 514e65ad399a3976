// The directories a list move (mvtree --from-list) made or found in DEST,
// in a file beside DEST (.ioaio-mvdirs.<hash>.<tag>, one per shard, 'all'
// for an unsharded run). The move's last step (the end of an unsharded run,
// or --finalize after every shard) reads them all: each directory gets its
// metadata, and its source is removed once empty.
//
// Before each mkdir, a record 'P atime mtime rel' with the source's times
// is appended and written at once; after a mkdir that found the directory
// there, 'E rel'. A directory is the move's own when some journal has a P
// for it that no E answers before that journal's next P for it (a kill
// between the two records can only take a found one for made). Its times are the least mtime of all its P records
// (with that record's atime): the one written before the mkdir that made it
// was taken before anything was moved out of it (what leaves a source
// directory goes into the one made), and every move out of it since has
// only made its mtime later. A torn last record (no NUL) is ignored.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { Stats } from '../aio/index.js';
import { besideRoot } from '../copy/marker.js';

const PREFIX = '.ioaio-mvdirs.';
const NUL = Buffer.from([0]);

/** made: by the move (so its metadata is the source's); times [atime, mtime] in ns */
export interface DirRecord {
  made: boolean;
  times?: readonly [bigint, bigint];
}

export function journalPath(dst: Buffer, tag: string): Buffer {
  return besideRoot(dst, PREFIX, tag);
}

/** The journals of these tags beside dst go (the move's last step is done). */
export function removeJournals(dst: Buffer, tags: readonly string[]): void {
  for (const t of tags) rmSync(journalPath(dst, t), { force: true });
}

/** One run's journal: its file, or (a dry run) memory only. */
export class DirJournal {
  private found: Buffer[] = [];
  private readonly memory: Buffer[] = [];
  /** Perf: open from the first record to close() (with an open a record,
   *  the opens alone were 0.19 s of a 150k-entry move's 11.8 s profile) */
  private fd: number | undefined;

  constructor(private readonly path: Buffer | undefined) {}

  /** Before the mkdir of rel: the source's times (st undefined: it could not be read). */
  beforeMkdir(rel: Buffer, st: Stats | undefined): void {
    this.write(Buffer.concat([Buffer.from(st ? `P ${st.atimeNs} ${st.mtimeNs} ` : 'P - - '), rel, NUL]));
  }

  /** Written at once (a write(2); the kernel has it when this returns). */
  private write(rec: Buffer): void {
    if (!this.path) {
      this.memory.push(rec);
      return;
    }
    this.fd ??= openSync(this.path, 'a');
    for (let off = 0; off < rec.length; ) off += writeSync(this.fd, rec, off);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** The mkdir of rel found it there. */
  existed(rel: Buffer): void {
    this.found.push(Buffer.concat([Buffer.from('E '), rel, NUL]));
    if (this.found.length >= 256) this.flush();
  }

  flush(): void {
    if (this.found.length === 0) return;
    const all = Buffer.concat(this.found);
    this.found = [];
    this.write(all);
  }

  /** What this run's journal holds (an earlier run's records too). */
  records(): Map<string, DirRecord> {
    this.flush();
    return this.path ? readJournals([this.path]) : parse([Buffer.concat(this.memory)]);
  }

  remove(): void {
    this.close();
    if (this.path) rmSync(this.path, { force: true });
  }
}

/** Every record of the journals that exist (rel in latin1 -> record). */
export function readJournals(paths: Buffer[]): Map<string, DirRecord> {
  const data: Buffer[] = [];
  for (const p of paths) {
    try {
      data.push(readFileSync(p));
    } catch {
      // (a shard that made and found nothing wrote none)
    }
  }
  return parse(data);
}

function parse(journals: Buffer[]): Map<string, DirRecord> {
  const out = new Map<string, { made: boolean; times?: [bigint, bigint] }>();
  for (const data of journals) {
    // this journal's last word on each directory: an attempt (P, true) or found (E)
    const last = new Map<string, boolean>();
    let at = 0;
    for (let end = data.indexOf(0, at); end >= 0; at = end + 1, end = data.indexOf(0, at)) {
      const rec = data.subarray(at, end);
      if (rec[1] !== 0x20) continue;
      if (rec[0] === 0x45) {
        const key = rec.subarray(2).toString('latin1');
        last.set(key, false);
        if (!out.has(key)) out.set(key, { made: false });
      } else if (rec[0] === 0x50) {
        const a = rec.indexOf(0x20, 2);
        const m = a < 0 ? -1 : rec.indexOf(0x20, a + 1);
        if (m < 0) continue;
        const key = rec.subarray(m + 1).toString('latin1');
        const r = out.get(key) ?? { made: false };
        // an attempt with no answer before this one: its mkdir made it
        if (last.get(key)) r.made = true;
        last.set(key, true);
        const times = nsPair(rec.subarray(2, a), rec.subarray(a + 1, m));
        if (times && (!r.times || times[1] < r.times[1])) r.times = times;
        out.set(key, r);
      }
    }
    for (const [key, attempted] of last) if (attempted) out.get(key)!.made = true;
  }
  return out;
}

function nsPair(a: Buffer, m: Buffer): [bigint, bigint] | undefined {
  try {
    return [BigInt(a.toString()), BigInt(m.toString())];
  } catch {
    return undefined; // '-': the source could not be read
  }
}
