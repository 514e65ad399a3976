// run(config, io) -> exit status: paths in (arguments or a stream), stats on
// libeio's threads with at most maxOutstanding in flight, results out in
// input order (or as they finish), errors per path, and the summary.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { aio, type IoaioError, type Stats } from '../../aio/index.js';
import { ByteWriter } from '../../cli/byte-writer.js';
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
  aio.minParallel(cfg.jobs);
  aio.maxParallel(cfg.jobs);

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
      const bad = path.length === 0 ? 'empty path' : path.includes(0) ? 'a path cannot contain a NUL byte' : undefined;
      if (bad) {
        deliver(n, { path, err: new Error(bad) });
        continue;
      }
      inflight++;
      statFn(path, (err, st) => {
        inflight--;
        deliver(n, err ? { path, err } : { path, st });
        wake();
      });
    }
  } catch (e) {
    io.stderr.write(`pstat: ${cfg.from ?? 'stdin'}: ${(e as Error).message}\n`);
    errors++;
  }
  while (inflight > 0) await wait();
  process.off('SIGINT', onSigint);
  await writer.end();

  if (summary) io.stderr.write(cfg.summary === 'json' ? JSON.stringify(summary.toJSON()) + '\n' : summary.toText('pstat'));
  if (interrupted) return EXIT.INTERRUPTED;
  return errors > 0 ? EXIT.SOME_FAILED : EXIT.OK;
}

/** An empty path shows as '' and a NUL as \0, so the message stays one line. */
function shown(path: Buffer): Buffer {
  if (path.length === 0) return Buffer.from("''");
  return path.includes(0) ? Buffer.from(path.toString('latin1').replace(/\0/g, '\\0'), 'latin1') : path;
}
