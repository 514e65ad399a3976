// run(config, io) -> exit status: the format compiled, then paths in
// (arguments or a stream) through one of two pipelines, each a file of its
// own: raw-pipeline.ts (plain formats, rendered on the workers) or
// js-pipeline.ts (--json, --summary, formats with flags). Both share the
// window of requests in flight (window.ts), the flow control (flow.ts) and
// the tuning by filesystem (tuning.ts); errors are per path, then the
// summary.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Stats } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
import { EXIT } from '../../cli/exit.js';
import { exitStatus, onInterrupt } from '../../cli/run-support.js';
import { errorLine } from '../../cli/messages.js';
import type { PstatConfig } from './config.js';
import { Flow } from './flow.js';
import { feedJs, jsEmitter, type JsDeps } from './js-pipeline.js';
import { feedRaw, rawEmitter, type RawDeps } from './raw-pipeline.js';
import { Tuning } from './tuning.js';
import { Window, type Result } from './window.js';
import { compileFormatText, nativeFormatProgram } from './format.js';
import { openPathList, readRecordRegions } from '../../cli/path-list.js';
import { readPathChunks, type PathChunk } from './input.js';
import { argsRegion } from './raw-input.js';
import { shardTag } from '../../shard/spec.js';
import { shardChunks, shardRegions } from './shard-input.js';
import { Summary } from './summary.js';
import { newCounters } from '../../walk/counters.js';
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
  try {
    if (!cfg.json) format = compileFormatText(cfg.format, { printf: cfg.printf, warn: (m) => io.stderr.write(`pstat: warning: ${m}\n`) });
  } catch (e) {
    io.stderr.write(`pstat: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  // Paths by type, stats, errors (the exit status), paths in flight (the progress view).
  const counters = newCounters();
  // -j auto measures its rate in paths: a request stats a batch of them
  const t: Tuning = new Tuning(cfg, (): number => win.pathsDone);
  const flow = new Flow();
  const writer = new ByteWriter(io.stdout, (f) => ((flow.full = f), flow.wake()), () => ((flow.stopped = true), flow.wake()));
  const summary = cfg.summary === 'none' ? undefined : new Summary();
  const syscall = cfg.dereference ? 'stat' : 'lstat';
  const fail = (path: Buffer, err: Error) => {
    counters.errors++;
    summary?.addError();
    io.stderr.write(errorLine('pstat', shown(path), err));
  };

  // Perf: plain formats are rendered by the worker that stat'ed the paths
  // (raw-pipeline.ts); --summary needs every path's fields here, so it
  // keeps the JS renderer (js-pipeline.ts), as --json and formats with
  // flags do.
  const program = format && !summary ? nativeFormatProgram(cfg.format, { printf: cfg.printf }) : undefined;
  const raw: RawDeps | undefined = program ? { cfg, t, writer, program, syscall, fail } : undefined;
  const js: JsDeps = { cfg, t, writer, format, modeString: compileFormatText('%A', { printf: true }), summary, syscall, fail };
  const emitRaw = raw ? rawEmitter(raw, counters) : undefined;
  const emitJs = jsEmitter(js, counters);
  const win = new Window(flow, t, counters, cfg.unordered, (r: Result) => ('region' in r ? emitRaw!(r) : emitJs(r)));

  let interrupted = false;
  const uninterruptible = onInterrupt(() => {
    interrupted = flow.stopped = true;
    flow.wake();
  });
  const started = nowMs();
  const progress = await io.progress?.(counters, started);
  const input = () => (cfg.from && cfg.from !== '-' ? createReadStream(cfg.from) : io.stdin);
  try {
    const { shard } = cfg;
    // a list as treescan wrote it: -0, lines, or --json (then NUL-ended)
    const list = cfg.paths.length ? undefined : await openPathList(input(), cfg.null ? 0 : 0x0a);
    if (raw) {
      const sep = list ? list.sep : 0;
      const regions = list ? readRecordRegions(list.chunks, sep) : [argsRegion(cfg.paths)];
      await feedRaw(raw, win, shard ? shardRegions(regions, sep, shard) : regions, sep);
    } else {
      const source: AsyncIterable<PathChunk> | Iterable<PathChunk> = list
        ? readPathChunks(list.chunks, list.sep)
        : cfg.paths.map((p) => ({ buf: p, bounds: [0, p.length] }));
      await feedJs(js, win, shard ? shardChunks(source, shard) : source, list !== undefined && list.sep === 0x0a);
    }
  } catch (e) {
    io.stderr.write(`pstat: ${cfg.from ?? 'stdin'}: ${(e as Error).message}\n`);
    counters.errors++;
  }
  await win.drain();
  t.close();
  uninterruptible();
  await progress?.stop();
  await writer.end();

  if (summary) {
    summary.concurrency = t.concurrency;
    io.stderr.write(cfg.summary === 'json' ? JSON.stringify({ ...summary.toJSON(), ...(cfg.shard ? { shard: shardTag(cfg.shard) } : {}) }) + '\n' : summary.toText('pstat'));
  }
  return exitStatus({ interrupted, failed: counters.errors > 0 });
}

/** An empty path shows as '' and a NUL as \0, so the message stays one line. */
function shown(path: Buffer): Buffer {
  if (path.length === 0) return Buffer.from("''");
  return path.includes(0) ? Buffer.from(path.toString('latin1').replace(/\0/g, '\\0'), 'latin1') : path;
}
