// pstat's JavaScript pipeline, for --json, --summary and formats with
// flags, widths or precisions: paths gathered into batches as strings
// (latin1, so any bytes), stat'ed on the workers (aio.statBatch: paths in a
// row in one directory go relative to one handle on it), each result
// rendered here (format.ts, byte for byte with GNU stat).
import { aio, IoaioError, type Stats } from '../../aio/index.js';
import type { ByteWriter } from '../../cli/byte-writer.js';
import { jsonLine, pathJson, statJson, TYPE_NAMES } from '../../cli/stat-json.js';
import { countEntry } from '../../walk/counters.js';
import type { WalkCounters } from '../../walk/types.js';
import { PathBatch, type BatchResult } from './batch.js';
import type { PstatConfig } from './config.js';
import type { PathChunk } from './input.js';
import type { Summary } from './summary.js';
import type { Tuning } from './tuning.js';
import type { Window } from './window.js';

export interface JsDeps {
  cfg: PstatConfig;
  t: Tuning;
  writer: ByteWriter;
  /** the line of a path, or undefined for --json */
  format: ((path: string, st: Stats) => string) | undefined;
  modeString: (path: string, st: Stats) => string;
  summary: Summary | undefined;
  syscall: string;
  fail: (path: Buffer, err: Error) => void;
}

/** A batch's lines (or JSON objects) to stdout, its failures reported. */
export function jsEmitter(d: JsDeps, counters: WalkCounters): (r: BatchResult) => void {
  /** A stat'ed path's line (name: latin1), or '' after writing its JSON. */
  const ok = (name: string, st: Stats): string => {
    d.summary?.add(name, st);
    counters.stats++;
    countEntry(counters, (st.mode & 0o170000) >> 12, st);
    if (d.format) return d.format(name, st);
    const o = pathJson(Buffer.from(name, 'latin1'));
    o.type = TYPE_NAMES[(st.mode & 0o170000) >> 12] ?? 'unknown';
    o.mode_string = d.modeString(name, st);
    d.writer.text(jsonLine(Object.assign(o, statJson(st))));
    return '';
  };
  // Perf: one Stats object for every result; ok() and its callees read it
  // at once and keep nothing of it.
  let scratch: Stats | undefined;
  return ({ batch, res, err }) => {
    let out = '';
    for (let i = 0, k = 0; i < batch.size; i++) {
      const name = batch.names[i]!;
      const bad = batch.badReason(i);
      if (bad) {
        d.fail(Buffer.from(name, 'latin1'), new Error(bad));
        continue;
      }
      const j = k++;
      if (err) d.fail(Buffer.from(name, 'latin1'), err);
      else if (res!.errno(j)) {
        const path = Buffer.from(name, 'latin1');
        d.fail(path, new IoaioError({ errno: res!.errno(j), syscall: d.syscall, path: path.toString() }));
      } else out += ok(name, res!.stats(j, (scratch ??= res!.stats(j))));
    }
    // Perf: the whole batch's lines in one write.
    if (out) d.writer.latin1(out);
  };
}

/** Feeds every path of source to the workers, batchSize at a time. */
export async function feedJs(d: JsDeps, win: Window, source: AsyncIterable<PathChunk> | Iterable<PathChunk>, mayHaveNul: boolean): Promise<void> {
  const { cfg, t } = d;
  let cur = new PathBatch(mayHaveNul);
  const submit = () => {
    if (cur.size === 0 || win.flow.stopped) return;
    const batch = cur;
    cur = new PathBatch(mayHaveNul);
    if (batch.good === 0) return win.deliver(win.place(), { batch });
    const n = win.begin(batch.good);
    aio.statBatch(batch.encode(), batch.good, cfg.dereference, t.dirCache ?? 0, cfg.cached, (err, res) => {
      win.done(n, batch.good, err ? { batch, err } : { batch, res });
    });
  };
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
  outer: for await (const { buf, bounds } of source) {
    const text = buf.toString('latin1');
    for (let i = 0; i < bounds.length; i += 2) {
      if (win.flow.stopped) break outer;
      const start = bounds[i]!, end = bounds[i + 1]!;
      if (!t.tuned && end > start) t.tune(buf.subarray(start, end));
      cur.add(text.slice(start, end));
      if (cur.size < t.batchSize) continue;
      if (!(await win.room())) break outer;
      submit();
    }
    if (cur.size > 0) flushSoon();
  }
  submit();
}
