// Where treescan's entries go: raw path lines (the fast path) or NDJSON.
import { aio, type IoaioError, type Stats } from '../../aio/index.js';
import type { ByteWriter } from '../../cli/byte-writer.js';
import { jsonLine, pathJson, statJson, TYPE_NAMES } from '../../cli/stat-json.js';
import type { WalkSink } from '../../walk/types.js';
import type { TreescanConfig } from './config.js';

const { DT_DIR } = aio;


export type ErrorReporter = (path: Buffer, err: IoaioError | Error) => void;

/** The filters every output mode shares; returns whether to print and the slash. */
abstract class FilteredSink implements WalkSink {
  constructor(
    protected readonly cfg: TreescanConfig,
    protected readonly writer: ByteWriter,
    private readonly report: ErrorReporter,
    private readonly onEntry: ((prefix: Buffer, src: Buffer, start: number, end: number, type: number) => void) | undefined,
  ) {}

  entry(prefix: Buffer, src: Buffer, start: number, end: number, type: number, st: Stats | undefined): void {
    this.onEntry?.(prefix, src, start, end, type);
    const cfg = this.cfg;
    if (cfg.quiet) return;
    const isDir = type === DT_DIR;
    if ((cfg.dirsOnly && !isDir) || (cfg.filesOnly && isDir)) return;
    // "dir/" or "/" given as a root already ends in a slash.
    const slash = isDir && !(prefix.length === 0 && end > start && src[end - 1] === 0x2f);
    if (cfg.grep && !cfg.grep.test(prefix.toString() + src.toString('utf8', start, end) + (slash ? '/' : ''))) return;
    this.print(prefix, src, start, end, slash, type, st);
  }

  error(path: Buffer, err: IoaioError | Error): void {
    this.report(path, err);
  }

  protected abstract print(prefix: Buffer, src: Buffer, start: number, end: number, slash: boolean, type: number, st: Stats | undefined): void;
}

export class LineSink extends FilteredSink {
  private readonly term = this.cfg.print0 ? 0 : 0x0a;

  /** Lines the native walk made on a worker thread (the walker's fast path). */
  lines(src: Buffer, start: number, end: number, release: () => void): void {
    this.writer.block(src, start, end, release);
  }

  protected print(prefix: Buffer, src: Buffer, start: number, end: number, slash: boolean): void {
    this.writer.line(prefix, src, start, end, slash, this.term);
  }
}

/** NDJSON: {"path": …, "type": …, …stat fields with -s}. A path that is not
 *  valid UTF-8 comes as "path_b64" (its bytes in base64) instead of "path". */
export class JsonSink extends FilteredSink {
  protected print(prefix: Buffer, src: Buffer, start: number, end: number, slash: boolean, type: number, st: Stats | undefined): void {
    const o = pathJson(Buffer.concat([prefix, src.subarray(start, end)]));
    o.type = TYPE_NAMES[type] ?? 'unknown';
    if (st) Object.assign(o, statJson(st));
    void slash;
    this.writer.text(jsonLine(o));
  }
}
