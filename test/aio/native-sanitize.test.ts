// Runs the native C tests (native/test/) under ASan+UBSan with leak
// detection, so the sanitizer suite runs wherever vitest does.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('native C tests under sanitizers', () => {
  it('bash native/test/run.sh --sanitize passes', async () => {
    const { code, out } = await run('bash', ['native/test/run.sh', '--sanitize'], 115_000);
    const failures = out.split('\n').filter((l) => l.startsWith('FAIL ')).join('\n');
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(out);
    expect(summary, out.slice(-3000)).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThan(0);
    expect(summary![0], failures).toMatch(/ 0 failed$/);
    expect(code, out.slice(-3000)).toBe(0);
  }, 120_000);
});
