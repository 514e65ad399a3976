// Paths as the bytes that were read, for batches the worker renders
// (aio.statFormat): regions of whole records, each ending in its separator
// (cli/path-list.ts readRecordRegions), are cut into batches with no string or
// copy per path. Perf: building a latin1 string per path, and a Buffer per
// batch from them, was most of pstat's main-thread time on a local disk.
import type { IoaioError, StatLines } from '../../aio/index.js';

/** A region handed to the worker with what came back. */
export interface RawResult {
  region: Buffer;
  sep: 0 | 0x0a;
  lines?: StatLines;
  err?: IoaioError;
}

/** PATH arguments as one region of NUL-terminated records. */
export function argsRegion(paths: Buffer[]): Buffer {
  return Buffer.concat(paths.flatMap((p) => [p, Buffer.of(0)]));
}

/** The first non-empty record of region, or undefined. */
export function firstPath(region: Buffer, sep: number): Buffer | undefined {
  for (let pos = 0; pos < region.length;) {
    const end = region.indexOf(sep, pos);
    if (end > pos) return region.subarray(pos, end);
    pos = end + 1;
  }
  return undefined;
}

/** Calls f with each record of region (without its separator). */
export function forEachRecord(region: Buffer, sep: number, f: (path: Buffer) => void): void {
  for (let pos = 0; pos < region.length;) {
    const end = region.indexOf(sep, pos);
    f(region.subarray(pos, end));
    pos = end + 1;
  }
}
