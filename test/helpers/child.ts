// Runs small ESM scripts against the built library (dist/) in a child
// process, for behaviour that only shows at process level: exiting by
// itself, uncaught exceptions, shutdown.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST_INDEX = join(ROOT, 'dist/src/aio/index.js');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const BUNDLES = ['ioaio.cjs', 'ink-progress.mjs', 'ink-copy-progress.mjs'].map((f) => join(ROOT, 'dist/bundle', f));
const newer = (f: string) => existsSync(f) && statSync(f).mtimeMs >= newestMtime(join(ROOT, 'src'));
const fresh = () => newer(DIST_INDEX) && BUNDLES.every(newer);

/** Compiles src/ into dist/ (modules and the bin/ bundles) when stale. */
export function ensureDist(): void {
  if (fresh()) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    // tsc still emits JavaScript when it reports type errors; only a missing
    // or stale dist/ is fatal here.
    if (!fresh()) throw e;
  }
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** wall-clock milliseconds from spawn to exit */
  ms: number;
  timedOut: boolean;
}

/** Runs `source` as an ES module; `IOAIO` in it is replaced by the dist index URL. */
export function runChild(source: string, timeoutMs = 10_000): Promise<ChildResult> {
  const code = source.replaceAll('IOAIO', pathToFileURL(DIST_INDEX).href);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (c, signal) => {
      clearTimeout(timer);
      resolve({ code: c, signal, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
  });
}
