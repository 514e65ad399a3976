// Spec builders shared by the request functions: one per native argument shape.
import { toPath, type NativePath } from '../args.js';
import { getLoop } from '../issue.js';
import type { Decoder, Spec } from '../req.js';
import { BigIntStats, StatVfs, Stats } from '../stats.js';
import type { ReqOptions } from '../types.js';

/** A request on one path; `path` is the caller's argument, checked here. */
export function pathSpec<T = number>(kind: number, syscall: string, path: unknown, a = 0, b = 0, decode?: Decoder<T>): Spec<T> {
  // Perf: a plain string path goes straight into the spec (no NativePath).
  if (typeof path === 'string' && !path.includes('\0')) {
    return { kind, syscall, path, wd: 0, arg: path, a, b, decode, wds: undefined };
  }
  const p = toPath(path);
  return { kind, syscall, path: p.shown, wd: p.wd, arg: p.arg, a, b, decode, wds: p.handle ? [p.handle] : undefined };
}

export function path2Spec(kind: number, syscall: string, p: NativePath, q: NativePath, a = 0): Spec<number> {
  const l = getLoop();
  const wds = [p.handle, q.handle].filter((w) => w !== undefined);
  return {
    kind,
    syscall,
    path: p.shown,
    dest: q.shown,
    submit: (pri) => l.native.reqPath2(l.ctx, kind, pri, p.wd, p.arg, q.wd, q.arg, a),
    wds: wds.length ? wds : undefined,
  };
}

export function fdSpec<T = number>(kind: number, syscall: string, fd: number, a = 0, b = 0, c = 0, decode?: Decoder<T>): Spec<T> {
  const l = getLoop();
  return { kind, syscall, submit: (pri) => l.native.reqFd(l.ctx, kind, pri, fd, a, b, c), decode };
}

export const decodeStats: Decoder<Stats> = (p) => new Stats(p.f64, p.off >> 3);
const decodeBigIntStats: Decoder<BigIntStats> = (p) => new BigIntStats(new Stats(p.f64, p.off >> 3));
/** Stats, or with bigint a BigIntStats; typed as Stats here, the
 *  { bigint: true } overloads (BigintForms) give callers the right type. */
export const statDecoder = (bigint: boolean | undefined): Decoder<Stats> => (bigint ? decodeBigIntStats : decodeStats) as Decoder<Stats>;
export const decodeStatVfs: Decoder<StatVfs> = (p) => new StatVfs(p.f64, p.off >> 3);
export const decodeVoid: Decoder<void> = () => undefined;

/** Bytes of the payload, copied out of the shared poll buffer. */
export const decodeBytes: Decoder<Buffer> = (p) => Buffer.from(p.buf.subarray(p.off, p.off + p.result));

export function decodeName(opts: ReqOptions): Decoder<string | Buffer> {
  return opts.encoding === 'buffer' ? decodeBytes : (p) => p.buf.toString('utf8', p.off, p.off + p.result);
}

