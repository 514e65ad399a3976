// Runs the real bin/ programs for the command-line convention tests.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, plainEnv } from './treescan.js';

export { ROOT };

/** An environment with no colour decisions inherited from the caller. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = plainEnv();
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** node bin/<prog> args, or a program file (a link) given by path. */
export function runBin(prog: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer } = {}): SpawnSyncReturns<string> {
  const file = prog.includes('/') ? prog : join(ROOT, 'bin', prog);
  return spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', timeout: 20_000, env: opts.env ?? cleanEnv(), cwd: opts.cwd ?? ROOT, input: opts.input });
}

/** node bin/<prog> args (or a program file given by path) without blocking,
 *  so several run at once; stdout as bytes (names need not be UTF-8). */
export function spawnBin(prog: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const file = prog.includes('/') ? prog : join(ROOT, 'bin', prog);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}
