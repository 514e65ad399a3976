// Mounts a latency-injecting FUSE fixture (bench/fuse/latencyfs-async.c or
// bench/fuse/latencyfs.c, built into build/bench/ by bench/setup.sh) over a
// source directory, and unmounts it again, also when the benchmark exits
// early, throws or gets SIGINT/SIGTERM/SIGHUP (cleanup.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onExit } from './cleanup.mjs';

const BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'bench');
/** High-level libfuse, one server thread per operation in flight. */
export const LATENCYFS = join(BUILD, 'latencyfs');
/** Low-level libfuse, delayed replies from one timer thread: far less server CPU per operation. */
export const LATENCYFS_ASYNC = join(BUILD, 'latencyfs-async');
const FIXTURES = { threads: LATENCYFS, async: LATENCYFS_ASYNC };
/** The server binary of a fixture name ('async' or 'threads'). */
export function fixtureBinary(fixture) {
  const bin = FIXTURES[fixture];
  if (bin === undefined) throw new Error(`unknown FUSE fixture ${JSON.stringify(fixture)}: 'async' or 'threads'`);
  return bin;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Unmounting also runs in 'exit' handlers, where only synchronous code runs.
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether pid is running (not gone, not a zombie waiting to be reaped). */
function running(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s[s.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Whether a FUSE filesystem is mounted at dir, from /proc/self/mountinfo (no filesystem access). */
export function isMounted(dir) {
  const want = resolve(dir).replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => {
      const f = l.split(' ');
      const sep = f.indexOf('-');
      return f[4] === want && sep > 0 && f[sep + 1].startsWith('fuse');
    });
}

/** fusermount3 -u, then a lazy unmount (-z) if the mount is busy; also clears stale mounts. */
export function fuseUnmount(dir) {
  if (!isMounted(dir)) return true;
  for (const args of [['-u', dir], ['-u', '-z', dir]]) {
    spawnSync('fusermount3', args, { stdio: 'ignore' });
    if (!isMounted(dir)) return true;
  }
  return false;
}

/**
 * Mounts srcDir at mountPoint (an existing empty directory) with delayUs per
 * operation and up to `threads` operations in service at once; resolves once
 * the mount shows in mountinfo and answers a stat. `fixture` picks the server:
 * 'async' (latencyfs-async, the default) or 'threads' (latencyfs). Returns an
 * idempotent, synchronous unmount(), with unmount.pid (the server's pid) and
 * unmount.opCounts() reading (and resetting) the server's counts. With
 * `writable`, it is mounted rw (the fixtures then serve unlink and rmdir).
 * With `step: { ops, delayUs }` (latencyfs-async only), every operation
 * after the ops-th waits step.delayUs instead; unmount.rearm() (SIGUSR2)
 * restarts that count and the first delay, for the next run.
 */
export async function mount(srcDir, mountPoint, { delayUs = 1000, threads = 64, fixture = 'async', writable = false, step = undefined, timeoutMs = 10000, log = (s) => process.stderr.write(s) } = {}) {
  const bin = fixtureBinary(fixture);
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bench/setup.sh`);
  fuseUnmount(mountPoint); // a mount left behind by a killed run
  // -f keeps the server in the foreground as our child, so we can wait for it
  // and kill it if unmounting fails.
  // writable: the fixtures serve unlink and rmdir (rmtree's bench); nothing else writes.
  if (step && fixture !== 'async') throw new Error('a latency step needs the async fixture (latencyfs-async)');
  const stepOpts = step ? `,step_ops=${step.ops},step_delay_us=${step.delayUs}` : '';
  const opts = `${writable ? 'rw' : 'ro'},delay_us=${delayUs},max_threads=${threads}${stepOpts},fsname=latencyfs,subtype=latencyfs`;
  const child = spawn(bin, [resolve(srcDir), resolve(mountPoint), '-f', '-o', opts], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = ''; // the server's other messages, for errors
  let partial = '';
  let opsWaiter = null; // resolves with the next "latencyfs-ops ..." line
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (b) => {
    const lines = (partial + b).split('\n');
    partial = lines.pop();
    for (const l of lines) {
      if (!l.startsWith('latencyfs-ops ')) {
        if (stderr.length < 8000) stderr += l + '\n';
        continue;
      }
      const counts = Object.fromEntries(l.split(' ').slice(1).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      opsWaiter?.(counts);
      opsWaiter = null;
    }
  });
  let exited = null;
  child.on('exit', (code, sig) => (exited = sig ?? code));

  let done = false, unregister = () => {};
  const unmount = () => {
    if (done) return;
    done = true;
    unregister();
    if (!fuseUnmount(mountPoint)) log(`warning: could not unmount ${mountPoint}\n`);
    // Unmounting makes the server exit; kill it if it is still there after 1 s.
    for (let i = 0; i < 50 && running(child.pid); i++) sleepSync(20);
    if (running(child.pid)) child.kill('SIGKILL');
  };
  unregister = onExit(unmount);

  const t0 = performance.now();
  while (!isMounted(mountPoint)) {
    if (exited !== null) {
      unmount();
      throw new Error(`${basename(bin)} exited (${exited}) before mounting:\n${stderr}${partial}`);
    }
    if (performance.now() - t0 > timeoutMs) {
      unmount();
      throw new Error(`${basename(bin)} did not mount ${mountPoint} within ${timeoutMs} ms:\n${stderr}`);
    }
    await sleep(10);
  }
  // A stat through the mount proves the server answers (its first delay).
  const st = spawnSync('stat', ['-c', '%i', mountPoint], { encoding: 'utf8', timeout: timeoutMs });
  if (st.status !== 0) {
    unmount();
    throw new Error(`stat ${mountPoint} failed after mounting: ${st.stderr}`);
  }
  child.unref();
  child.stderr.unref?.();
  unmount.pid = child.pid;
  /** The server's operation counts since the last call (SIGUSR1), or null if it does not answer. */
  unmount.opCounts = () =>
    new Promise((res) => {
      const timer = setTimeout(() => ((opsWaiter = null), res(null)), 2000);
      opsWaiter = (c) => (clearTimeout(timer), res(c));
      child.kill('SIGUSR1');
    });
  /** The latency step counts from here again, at the first delay (SIGUSR2). */
  unmount.rearm = () => child.kill('SIGUSR2');
  return unmount;
}
