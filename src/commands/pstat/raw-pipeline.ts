// pstat's native pipeline, for plain formats: the input's bytes are cut
// into regions of whole records as read, each request is a slice of one,
// and the worker that stat'ed the paths renders their lines
// (aio.statFormat). Perf: the main thread makes no string per path and only
// copies each batch's text out.
import { aio, IoaioError, STATFMT_ERR_EMPTY, STATFMT_ERR_NUL } from '../../aio/index.js';
import type { ByteWriter } from '../../cli/byte-writer.js';
import { EMPTY_PATH, NUL_IN_PATH } from './batch.js';
import type { PstatConfig } from './config.js';
import { firstPath, forEachRecord, type RawResult } from './raw-input.js';
import type { WalkCounters } from '../../walk/types.js';
import type { Tuning } from './tuning.js';
import type { Window } from './window.js';

export interface RawDeps {
  cfg: PstatConfig;
  t: Tuning;
  writer: ByteWriter;
  /** the format compiled for the workers (nativeFormatProgram) */
  program: Buffer;
  syscall: string;
  fail: (path: Buffer, err: Error) => void;
}

/** A request's lines to stdout, its failures reported, its counts added. */
export function rawEmitter(d: RawDeps, counters: WalkCounters): (r: RawResult) => void {
  return ({ region, sep, lines, err }) => {
    if (err || !lines) {
      forEachRecord(region, sep, (path) => d.fail(path, path.length ? err! : new Error(EMPTY_PATH)));
      return;
    }
    for (let k = 0; k < lines.errors; k++) {
      const path = lines.errorPath(k), code = lines.errorErrno(k);
      d.fail(path, code === STATFMT_ERR_EMPTY ? new Error(EMPTY_PATH) : code === STATFMT_ERR_NUL ? new Error(NUL_IN_PATH)
        : new IoaioError({ errno: code, syscall: d.syscall, path: path.toString() }));
    }
    counters.stats += lines.dirs + lines.files + lines.symlinks + lines.others;
    counters.dirs += lines.dirs;
    counters.files += lines.files;
    counters.symlinks += lines.symlinks;
    counters.others += lines.others;
    counters.bytes += lines.bytes;
    if (lines.text.length) d.writer.block(lines.text, 0, lines.text.length);
  };
}

/** Feeds every region's records (each ending in sep) to the workers. */
export async function feedRaw(d: RawDeps, win: Window, regions: AsyncIterable<Buffer> | Iterable<Buffer>, sep: 0 | 0x0a): Promise<void> {
  const { cfg, t } = d;
  for await (const region of regions) {
    if (!t.tuned) {
      const first = firstPath(region, sep);
      if (first) t.tune(first);
    }
    // Perf: one indexOf per path to cut batches; no string, no copy.
    for (let pos = 0; pos < region.length;) {
      let end = pos, count = 0;
      while (count < t.batchSize && end < region.length) (end = region.indexOf(sep, end) + 1), count++;
      if (!(await win.room())) return;
      const slice = region.subarray(pos, end);
      const n = win.begin(count);
      aio.statFormat(d.program, slice, count, cfg.dereference, t.dirCache ?? 0, cfg.cached, sep === 0x0a, (err, lines) => {
        win.done(n, count, err ? { region: slice, sep, err } : { region: slice, sep, lines });
      });
      pos = end;
    }
  }
}
