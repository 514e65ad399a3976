// What both walkers count and how they report a failed path.
import { aio, type IoaioError, type Stats } from '../aio/index.js';
import type { WalkCounters, WalkSink } from './types.js';

const { DT_DIR, DT_LNK, DT_REG } = aio;

export function newCounters(): WalkCounters {
  return { dirs: 0, files: 0, symlinks: 0, others: 0, stats: 0, errors: 0, inflight: 0, bytes: 0 };
}

export function countEntry(c: WalkCounters, type: number, st: Stats | undefined): void {
  if (type === DT_DIR) c.dirs++;
  else if (type === DT_REG) c.files++;
  else if (type === DT_LNK) c.symlinks++;
  else c.others++;
  if (st && type === DT_REG) c.bytes += st.size;
}

/** Counts the error and hands it to the sink; a directory's trailing slash
 *  (lines mode keeps one on every directory path) is not shown. */
export function failPath(c: WalkCounters, sink: WalkSink, path: Buffer, err: IoaioError | Error): void {
  c.errors++;
  const shown = path.length > 1 && path[path.length - 1] === 0x2f ? path.subarray(0, path.length - 1) : path;
  sink.error(shown, err);
}
