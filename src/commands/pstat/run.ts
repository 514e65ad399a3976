// run(config, io) -> exit status: paths in (arguments or a stream), gathered
// into batches stat'ed on libeio's threads (aio.statBatch: paths in a row in
// one directory go relative to one handle on it), at most maxOutstanding
// batches in flight, results out in input order (or as they finish), errors
// per path, and the summary.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { aio, IoaioError, STATFMT_ERR_EMPTY, STATFMT_ERR_NUL, type Stats } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { errorLine } from '../../cli/messages.js';
import { pathJson, statJson, TYPE_NAMES } from '../../cli/stat-json.js';
import type { PstatConfig } from './config.js';
import { EMPTY_PATH, NUL_IN_PATH, PathBatch, type BatchResult } from './batch.js';
import { Flow } from './flow.js';
import { Tuning } from './tuning.js';
import { compileFormatText, nativeFormatProgram } from './format.js';
import { readPathChunks, readRecordRegions, type PathChunk } from './input.js';
import { argsRegion, firstPath, forEachRecord, type RawResult } from './raw-input.js';
import { Ordered } from './ordered.js';
import { Summary } from './summary.js';
import { countEntry, newCounters } from '../../walk/counters.js';
import type { WalkCounters } from '../../walk/types.js';
import { nowMs } from '../../aio/clock.js';

export interface PstatIo {
  stdin: Readable;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Starts a progress reporter over the live counters, or returns undefined. */
  progress?: (counters: WalkCounters, started: number) => Promise<{ stop(): Promise<void> } | undefined>;
}

export async function run(cfg: PstatConfig, io: PstatIo): Promise<number> {
  let format: ((path: string, st: Stats) => string) | undefined;
  const modeString = compileFormatText('%A', { printf: true });
  try {
    if (!cfg.json) format = compileFormatText(cfg.format, { printf: cfg.printf, warn: (m) => io.stderr.write(`pstat: warning: ${m}\n`) });
  } catch (e) {
    io.stderr.write(`pstat: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  const t = new Tuning(cfg);
  const flow = new Flow();
  const writer = new ByteWriter(io.stdout, (f) => ((flow.full = f), flow.wake()), () => ((flow.stopped = true), flow.wake()));

  const summary = cfg.summary === 'none' ? undefined : new Summary();
  // Paths by type, stats, errors (the exit status), paths in flight (the progress view).
  const counters = newCounters();
  const syscall = cfg.dereference ? 'stat' : 'lstat';
  const fail = (path: Buffer, err: Error) => {
    counters.errors++;
    summary?.addError();
    io.stderr.write(errorLine('pstat', shown(path), err));
  };
  /** A stat'ed path's line (name: latin1), or '' after writing its JSON. */
  const ok = (name: string, st: Stats): string => {
    summary?.add(name, st);
    counters.stats++;
    countEntry(counters, (st.mode & 0o170000) >> 12, st);
    if (format) return format(name, st);
    const o = pathJson(Buffer.from(name, 'latin1'));
    o.type = TYPE_NAMES[(st.mode & 0o170000) >> 12] ?? 'unknown';
    o.mode_string = modeString(name, st);
    writer.text(JSON.stringify(Object.assign(o, statJson(st))) + '\n');
    return '';
  };
  // Perf: one Stats object for every result; ok() and its callees read it
  // at once and keep nothing of it.
  let scratch: Stats | undefined;
  const emit = ({ batch, res, err }: BatchResult) => {
    let out = '';
    for (let i = 0, k = 0; i < batch.size; i++) {
      const name = batch.names[i]!;
      const bad = batch.badReason(i);
      if (bad) {
        fail(Buffer.from(name, 'latin1'), new Error(bad));
        continue;
      }
      const j = k++;
      if (err) fail(Buffer.from(name, 'latin1'), err);
      else if (res!.errno(j)) {
        const path = Buffer.from(name, 'latin1');
        fail(path, new IoaioError({ errno: res!.errno(j), syscall, path: path.toString() }));
      } else out += ok(name, res!.stats(j, (scratch ??= res!.stats(j))));
    }
    // Perf: the whole batch's lines in one write.
    if (out) writer.latin1(out);
  };
  // Perf: plain formats are rendered by the worker that stat'ed the paths
  // (aio.statFormat), from the input bytes as read: the main thread makes no
  // string per path and only copies each batch's text out (raw-input.ts).
  // --summary needs every path's fields here, so it keeps the JS renderer.
  const program = format && !summary ? nativeFormatProgram(cfg.format, { printf: cfg.printf }) : undefined;
  const emitRaw = ({ region, sep, lines, err }: RawResult) => {
    if (err || !lines) {
      forEachRecord(region, sep, (path) => fail(path, path.length ? err! : new Error(EMPTY_PATH)));
      return;
    }
    for (let k = 0; k < lines.errors; k++) {
      const path = lines.errorPath(k), code = lines.errorErrno(k);
      fail(path, code === STATFMT_ERR_EMPTY ? new Error(EMPTY_PATH) : code === STATFMT_ERR_NUL ? new Error(NUL_IN_PATH)
        : new IoaioError({ errno: code, syscall, path: path.toString() }));
    }
    counters.stats += lines.dirs + lines.files + lines.symlinks + lines.others;
    counters.dirs += lines.dirs;
    counters.files += lines.files;
    counters.symlinks += lines.symlinks;
    counters.others += lines.others;
    counters.bytes += lines.bytes;
    if (lines.text.length) writer.block(lines.text, 0, lines.text.length);
  };
  const out = (r: BatchResult | RawResult) => ('region' in r ? emitRaw(r) : emit(r));
  const ordered = cfg.unordered ? undefined : new Ordered<BatchResult | RawResult>(Math.max(4, t.maxInflight * 4), out);
  const deliver = (seq: number, r: BatchResult | RawResult) => (ordered ? ordered.put(seq, r) : out(r));

  let interrupted = false;
  const uninterruptible = onInterrupt(() => {
    interrupted = flow.stopped = true;
    flow.wake();
  });

  let inflight = 0;
  let seq = 0;
  const mayHaveNul = cfg.paths.length === 0 && !cfg.null;
  let cur = new PathBatch(mayHaveNul);
  const submit = () => {
    if (cur.size === 0 || flow.stopped) return;
    const batch = cur;
    cur = new PathBatch(mayHaveNul);
    const n = seq++;
    if (batch.good === 0) return deliver(n, { batch });
    inflight++;
    counters.inflight += batch.good;
    aio.statBatch(batch.encode(), batch.good, cfg.dereference, t.dirCache ?? 0, cfg.cached, (err, res) => {
      inflight--;
      counters.inflight -= batch.good;
      deliver(n, err ? { batch, err } : { batch, res });
      flow.wake();
    });
  };
  /** count whole records of region (each ending in sep) to the worker. */
  const submitRaw = (region: Buffer, count: number, sep: 0 | 0x0a) => {
    const n = seq++;
    inflight++;
    counters.inflight += count;
    aio.statFormat(program!, region, count, cfg.dereference, t.dirCache ?? 0, cfg.cached, sep === 0x0a, (err, lines) => {
      inflight--;
      counters.inflight -= count;
      deliver(n, err ? { region, sep, err } : { region, sep, lines });
      flow.wake();
    });
  };
  const windowFull = () => flow.full || inflight >= t.maxInflight || (ordered !== undefined && !ordered.canIssue(seq));
  // A partial batch goes out once the input has nothing more ready (the
  // iterator then waits on I/O and this turn of the loop ends): results
  // stream even from a slow producer.
  let flushQueued = false;
  const flushSoon = () => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      submit();
    });
  };

  const started = nowMs();
  const progress = await io.progress?.(counters, started);
  const input = () => (cfg.from && cfg.from !== '-' ? createReadStream(cfg.from) : io.stdin);
  try {
    if (program) {
      const sep = cfg.paths.length || cfg.null ? 0 : 0x0a;
      const regions = cfg.paths.length ? [argsRegion(cfg.paths)] : readRecordRegions(input(), sep);
      outer: for await (const region of regions) {
        if (!t.tuned) {
          const first = firstPath(region, sep);
          if (first) t.tune(first);
        }
        // Perf: one indexOf per path to cut batches; no string, no copy.
        for (let pos = 0; pos < region.length;) {
          let end = pos, count = 0;
          while (count < t.batchSize && end < region.length) (end = region.indexOf(sep, end) + 1), count++;
          while (!flow.stopped && windowFull()) await flow.wait();
          if (flow.stopped) break outer;
          submitRaw(region.subarray(pos, end), count, sep);
          pos = end;
        }
      }
    } else {
      const source: AsyncIterable<PathChunk> | Iterable<PathChunk> = cfg.paths.length
        ? cfg.paths.map((p) => ({ buf: p, bounds: [0, p.length] }))
        : readPathChunks(input(), cfg.null ? 0 : 0x0a);
      outer: for await (const { buf, bounds } of source) {
        const text = buf.toString('latin1');
        for (let i = 0; i < bounds.length; i += 2) {
          if (flow.stopped) break outer;
          const start = bounds[i]!, end = bounds[i + 1]!;
          if (!t.tuned && end > start) t.tune(buf.subarray(start, end));
          cur.add(text.slice(start, end));
          if (cur.size < t.batchSize) continue;
          while (!flow.stopped && windowFull()) await flow.wait();
          submit();
        }
        if (cur.size > 0) flushSoon();
      }
      submit();
    }
  } catch (e) {
    io.stderr.write(`pstat: ${cfg.from ?? 'stdin'}: ${(e as Error).message}\n`);
    counters.errors++;
  }
  while (inflight > 0) await flow.wait();
  t.close();
  uninterruptible();
  await progress?.stop();
  await writer.end();

  if (summary) io.stderr.write(cfg.summary === 'json' ? JSON.stringify(summary.toJSON()) + '\n' : summary.toText('pstat'));
  return exitStatus({ interrupted, failed: counters.errors > 0 });
}

/** An empty path shows as '' and a NUL as \0, so the message stays one line. */
function shown(path: Buffer): Buffer {
  if (path.length === 0) return Buffer.from("''");
  return path.includes(0) ? Buffer.from(path.toString('latin1').replace(/\0/g, '\\0'), 'latin1') : path;
}
