// The latency FUSE fixture (bench/fuse/latencyfs-async.c) for tests: built
// by bench/fuse/build.sh (its packages come from scripts/test-deps.sh),
// mounted read-only over a source tree, unmounted with fusermount3.
// fuseSkipReason() says why it cannot run here (no /dev/fuse, no build).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './treescan.js';

const BIN = join(ROOT, 'build', 'bench', 'latencyfs-async');

let built: string | undefined;

/** undefined when the fixture can be mounted here, else the reason it cannot. */
export function fuseSkipReason(): string | undefined {
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  if (spawnSync('fusermount3', ['-V']).status !== 0) return 'fusermount3 is missing (Debian: fuse3)';
  if (built === undefined) {
    const r = spawnSync('bash', [join(ROOT, 'bench', 'fuse', 'build.sh')], { encoding: 'utf8' });
    built = r.status === 0 && existsSync(BIN) ? '' : `the FUSE fixture did not build: ${r.stderr.trim().split('\n').pop()}`;
  }
  return built || undefined;
}

function mounted(dir: string): boolean {
  const want = resolve(dir);
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === want && l.includes(' - fuse'));
}

/** Mounts src at mnt with delayUs an operation and `slots` in service; resolves to an unmount function. */
export async function mountLatency(src: string, mnt: string, delayUs: number, slots: number): Promise<() => void> {
  const child = spawn(BIN, [resolve(src), resolve(mnt), '-f', '-o', `ro,delay_us=${delayUs},max_threads=${slots},fsname=latencyfs,subtype=latencyfs`], { stdio: 'ignore' });
  const unmount = () => {
    if (mounted(mnt)) spawnSync('fusermount3', ['-u', '-z', mnt]);
    child.kill('SIGKILL');
  };
  for (let i = 0; i < 200 && !mounted(mnt); i++) await new Promise((r) => setTimeout(r, 25));
  if (!mounted(mnt)) {
    unmount();
    throw new Error(`latencyfs-async did not mount ${mnt}`);
  }
  return unmount;
}
