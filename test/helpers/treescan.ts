// Runs the real bin/treescan in a child process and compares what it prints
// with find(1) on the same tree. Paths are compared as latin1 strings: one
// char per byte, so non-UTF-8 names stay byte-exact.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDist } from './child.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/treescan');

export interface TsResult {
  stdout: Buffer;
  stderr: string;
  stderrBytes: Buffer;
  status: number | null;
  signal: NodeJS.Signals | null;
}

export interface TsOptions {
  cwd?: string;
  timeout?: number;
  env?: NodeJS.ProcessEnv;
}

/** An environment without CI (which turns the live view off). */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.CI;
  return env;
}

let built = false;
/** Makes sure dist/ is compiled from the current src/ (once per test file). */
export function ensureBuilt(): void {
  if (built) return;
  ensureDist();
  built = true;
}

/** bin/treescan ARGS, synchronously. */
export function treescan(args: string[], opts: TsOptions = {}): TsResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    timeout: opts.timeout ?? 20_000,
    env: opts.env ?? plainEnv(),
    maxBuffer: 512 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr.toString(), stderrBytes: r.stderr, status: r.status, signal: r.signal };
}

/** bin/treescan ARGS as a running child (stdout/stderr piped). */
export function spawnTreescan(args: string[], opts: TsOptions = {}): ChildProcess {
  ensureBuilt();
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: opts.env ?? plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a child's output until it exits (kills it after timeout ms). */
export function collect(child: ChildProcess, timeout = 20_000): Promise<TsResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stderrBytes = Buffer.concat(err);
      resolve({ stdout: Buffer.concat(out), stderr: stderrBytes.toString(), stderrBytes, status, signal });
    });
  });
}

/** bin/treescan ARGS, asynchronously (to run several at once). */
export function treescanAsync(args: string[], opts: TsOptions = {}): Promise<TsResult> {
  return collect(spawnTreescan(args, opts), opts.timeout);
}

/** Splits output on term; fails unless every record ends with term. */
export function records(out: Buffer, term = 0x0a): Buffer[] {
  const recs: Buffer[] = [];
  let start = 0;
  for (let i = out.indexOf(term); i >= 0; i = out.indexOf(term, start)) {
    recs.push(out.subarray(start, i));
    start = i + 1;
  }
  if (start !== out.length) throw new Error(`output does not end with its terminator: ${JSON.stringify(out.subarray(start).toString('latin1'))}`);
  return recs;
}

const key = (b: Buffer) => b.toString('latin1');

/** treescan's paths (latin1 keys) -> 'd' for those printed with a trailing
 *  '/', '-' for the rest. Fails on a path printed twice. */
export function scanTypes(out: Buffer, term = 0x0a): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of records(out, term)) {
    const dir = r.length > 1 && r[r.length - 1] === 0x2f;
    const k = key(dir ? r.subarray(0, r.length - 1) : r);
    if (m.has(k)) throw new Error(`printed twice: ${JSON.stringify(k)}`);
    m.set(k, dir ? 'd' : '-');
  }
  return m;
}

export interface FindResult {
  /** latin1 path -> find's %y (d, f, l, p, s, ...) */
  types: Map<string, string>;
  stderr: string;
  status: number | null;
}

/** find [PRE...] ROOT [EXPR...] -printf '%y %p\0' (find -L: pre = ['-L']). */
export function findTypes(root: string, expr: string[] = [], pre: string[] = [], cwd?: string): FindResult {
  const r = spawnSync('find', [...pre, root, ...expr, '-printf', '%y %p\\0'], { maxBuffer: 512 << 20, cwd });
  if (r.error) throw r.error;
  const types = new Map<string, string>();
  for (const rec of records(r.stdout, 0)) types.set(key(rec.subarray(2)), String.fromCharCode(rec[0]!));
  return { types, stderr: r.stderr.toString(), status: r.status };
}

/** find's types as treescan shows them: 'd' or '-'. */
export function dirOrNot(types: Map<string, string>): Map<string, string> {
  return new Map([...types].map(([k, t]) => [k, t === 'd' ? 'd' : '-']));
}

/** Sorted entries of a map, for readable toEqual diffs. */
export function sorted(m: Map<string, string>): [string, string][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A path as a latin1 key (for Buffer paths built from bytes). */
export function k(...parts: (string | Buffer)[]): string {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))).toString('latin1');
}

/** Runs several treescans at once (start-up is most of a small scan's time):
 *  name -> [args, options]. */
export async function treescanAll<N extends string>(runs: Record<N, [string[], TsOptions?]>): Promise<Record<N, TsResult>> {
  const names = Object.keys(runs) as N[];
  const results = await Promise.all(names.map((n) => treescanAsync(runs[n][0], runs[n][1] ?? {})));
  return Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<N, TsResult>;
}
