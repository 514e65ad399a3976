// run(config, io) -> exit status: paths in (arguments or a stream), stats on
// libeio's threads with at most maxOutstanding in flight, results out in
// input order (or as they finish), errors per path, and the summary.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { aio, type IoaioError, type PathArg, type Stats, type Wd } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { EXIT } from '../../cli/exit.js';
import { errorLine } from '../../cli/messages.js';
import { pathJson, statJson, TYPE_NAMES } from '../../cli/stat-json.js';
import type { PstatConfig } from './config.js';
import { compileFormat } from './format.js';
import { readPaths } from './input.js';
import { Ordered } from './ordered.js';
import { Summary } from './summary.js';

export interface PstatIo {
  stdin: Readable;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface Result {
  path: Buffer;
  st?: Stats;
  err?: IoaioError | Error;
}

export async function run(cfg: PstatConfig, io: PstatIo): Promise<number> {
  let format: ((path: Buffer, st: Stats) => Buffer) | undefined;
  const modeString = compileFormat('%A', { printf: true });
  try {
    if (!cfg.json) format = compileFormat(cfg.format, { printf: cfg.printf, warn: (m) => io.stderr.write(`pstat: warning: ${m}\n`) });
  } catch (e) {
    io.stderr.write(`pstat: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  // Threads: as asked, or by the first path's filesystem (it arrives later
  // when paths come from a stream).
  const setThreads = (n: number) => {
    aio.minParallel(n);
    aio.maxParallel(n);
  };
  let threadsSet = cfg.jobs !== undefined;
  if (cfg.jobs !== undefined) setThreads(cfg.jobs);

  // Flow control: the input loop waits here while the window is full or
  // stdout is slow; every finished stat or drained write wakes it.
  let waiter: (() => void) | undefined;
  const wait = () => new Promise<void>((resolve) => (waiter = resolve));
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  let full = false;
  let stopped = false;
  const writer = new ByteWriter(io.stdout, (f) => ((full = f), wake()), () => ((stopped = true), wake()));

  const summary = cfg.summary === 'none' ? undefined : new Summary();
  let errors = 0;
  const emit = (r: Result) => {
    if (r.err) {
      errors++;
      summary?.addError();
      io.stderr.write(errorLine('pstat', shown(r.path), r.err));
      return;
    }
    summary?.add(r.path, r.st!);
    if (format) {
      const b = format(r.path, r.st!);
      writer.block(b, 0, b.length);
    } else {
      const o = pathJson(r.path);
      o.type = TYPE_NAMES[(r.st!.mode & 0o170000) >> 12] ?? 'unknown';
      o.mode_string = modeString(r.path, r.st!).toString();
      writer.text(JSON.stringify(Object.assign(o, statJson(r.st!))) + '\n');
    }
  };
  const ordered = cfg.unordered ? undefined : new Ordered<Result>(cfg.maxOutstanding * 4, emit);
  const deliver = (seq: number, r: Result) => (ordered ? ordered.put(seq, r) : emit(r));

  let interrupted = false;
  const onSigint = () => {
    interrupted = stopped = true;
    wake();
  };
  process.on('SIGINT', onSigint);

  const statFn = cfg.dereference ? aio.stat : aio.lstat;
  const dirs = new DirHandles();
  let inflight = 0;
  let seq = 0;
  const source: AsyncIterable<Buffer> | Iterable<Buffer> = cfg.paths.length
    ? cfg.paths
    : readPaths(cfg.from && cfg.from !== '-' ? createReadStream(cfg.from) : io.stdin, cfg.null ? 0 : 0x0a);
  try {
    for await (const path of source) {
      while (!stopped && (full || inflight >= cfg.maxOutstanding || (ordered && !ordered.canIssue(seq)))) await wait();
      if (stopped) break;
      const n = seq++;
      if (!threadsSet && path.length > 0) {
        threadsSet = true;
        setThreads(isLatencyBound(path) ? REMOTE_JOBS : LOCAL_JOBS);
      }
      const bad = path.length === 0 ? 'empty path' : path.includes(0) ? 'a path cannot contain a NUL byte' : undefined;
      if (bad) {
        deliver(n, { path, err: new Error(bad) });
        continue;
      }
      inflight++;
      // Perf: names in the same directory as the last path are stat'ed
      // relative to a handle on it: on NFS one round trip instead of one
      // per path component.
      dirs.withPath(path, (target) =>
        statFn(target, (err, st) => {
          inflight--;
          deliver(n, err ? { path, err } : { path, st });
          wake();
        }),
      );
    }
  } catch (e) {
    io.stderr.write(`pstat: ${cfg.from ?? 'stdin'}: ${(e as Error).message}\n`);
    errors++;
  }
  while (inflight > 0) await wait();
  await dirs.close();
  process.off('SIGINT', onSigint);
  await writer.end();

  if (summary) io.stderr.write(cfg.summary === 'json' ? JSON.stringify(summary.toJSON()) + '\n' : summary.toText('pstat'));
  if (interrupted) return EXIT.INTERRUPTED;
  return errors > 0 ? EXIT.SOME_FAILED : EXIT.OK;
}

/** Handles on the directories paths come from, so that names are stat'ed
 *  relative to them: on NFS one round trip instead of one per path component.
 *  A directory gets one when its second path arrives (a lone path never pays
 *  for it); paths wait for it while it opens (one round trip), then go. The
 *  most recent MAX_OPEN stay open; one is closed only when no path is still
 *  waiting for it (Wd.close then waits for the requests in flight). If a
 *  handle cannot be opened, paths are stat'ed whole. */
const MAX_OPEN = 64;

interface DirEntry {
  seen: number;
  waiting: number;
  wd: Promise<Wd | undefined> | undefined;
}

class DirHandles {
  private readonly open = new Map<string, DirEntry>();

  /** Calls go(target) with the path to stat, at once or once the handle is open. */
  withPath(path: Buffer, go: (target: PathArg) => void): void {
    const slash = path.lastIndexOf(0x2f);
    if (slash <= 0 || slash === path.length - 1) return go(path);
    const key = path.toString('latin1', 0, slash);
    let e = this.open.get(key);
    if (e) {
      this.open.delete(key); // re-insert: most recent last
      this.open.set(key, e);
    } else {
      e = { seen: 0, waiting: 0, wd: undefined };
      this.open.set(key, e);
      this.evict();
    }
    if (++e.seen === 2) e.wd = aio.dirHandle(path.subarray(0, slash)).catch(() => undefined);
    const opening = e.wd;
    if (!opening) return go(path);
    const entry = e;
    entry.waiting++;
    void opening.then((wd) => {
      go(wd && !wd.closed ? [wd, path.subarray(slash + 1)] : path);
      entry.waiting--;
    });
  }

  private evict(): void {
    for (const [key, e] of this.open) {
      if (this.open.size <= MAX_OPEN) return;
      if (e.waiting > 0) continue;
      this.open.delete(key);
      void e.wd?.then((wd) => wd?.close());
    }
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((e) => e.wd?.then((wd) => wd?.close())));
  }
}

/** An empty path shows as '' and a NUL as \0, so the message stays one line. */
function shown(path: Buffer): Buffer {
  if (path.length === 0) return Buffer.from("''");
  return path.includes(0) ? Buffer.from(path.toString('latin1').replace(/\0/g, '\\0'), 'latin1') : path;
}
