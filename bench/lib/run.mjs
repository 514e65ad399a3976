// Runs one external command for a benchmark: wall time measured here (spawn
// to exit), peak RSS from GNU time's %M (the command's own maximum resident
// set, KiB; its waited-for children's too), a time limit that kills the whole
// process group, and output thrown away (/dev/null, as in most timed runs),
// counted line by line here (the untimed verification runs), or piped into
// `wc -l` (timed runs of a listing to a pipe).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './cleanup.mjs';

export const GNU_TIME = '/usr/bin/time';
const scratch = mkdtempSync(join(tmpdir(), 'ioaio-bench-run-'));
onExit(() => rmSync(scratch, { recursive: true, force: true }));
const devNull = openSync('/dev/null', 'w');

/**
 * Runs argv. opts.root: with it, stdout is read and counted: `lines`, and
 * `rootLines`, the lines naming the scanned root itself (with or without a
 * trailing '/'), so counts can be compared whether a tool prints the root or not.
 * opts.wc: stdout goes straight into a `wc -l` process, and `lines` is its count.
 * Resolves to { wallS, rssKB, status, signal, timedOut, stderr, lines?, rootLines? }.
 */
export async function run(argv, { root = null, wc = false, timeoutS = 300, env = process.env } = {}) {
  if (wc) return runIntoWc(argv, { timeoutS, env });
  return runOnce(argv, { root, timeoutS, env });
}

/**
 * stdout into `wc -l`, a reader that costs next to nothing: the Node reader
 * of runOnce costs about 0.1 s of CPU for 25 MB of lines on the machine's two
 * cores, and a lister faster than that waits on it (bench/results.md, "Real
 * trees": walk-floor itself took 0.24 s under it, 0.14 s into wc -l).
 */
async function runIntoWc(argv, opts) {
  const wcProc = spawn('wc', ['-l'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  wcProc.stdout.setEncoding('utf8');
  wcProc.stdout.on('data', (s) => (out += s));
  const counted = new Promise((resolve, reject) => {
    wcProc.on('error', reject);
    wcProc.on('close', (status) => (status === 0 ? resolve(Number(out.trim())) : reject(new Error(`wc -l exited with ${status}`))));
  });
  let r;
  try {
    r = await runOnce(argv, { ...opts, root: null, stdout: wcProc.stdin });
  } finally {
    wcProc.stdin.destroy(); // our copy of the pipe's write end: wc sees EOF once the tool's is closed
  }
  return { ...r, lines: await counted };
}

function runOnce(argv, { root, timeoutS, env, stdout = null }) {
  const rssFile = join(scratch, 'rss');
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    // detached: its own process group, so a time-out kills the command and
    // not just GNU time.
    const child = spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, ...argv], {
      stdio: ['ignore', stdout ?? (root === null ? devNull : 'pipe'), 'pipe'],
      detached: true,
      env,
    });
    // Its own group does not get the terminal's SIGINT either: kill it at exit.
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const unregister = onExit(killGroup);
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), killGroup()), timeoutS * 1000);
    let wallS = null;
    child.on('exit', () => (wallS = Number(process.hrtime.bigint() - t0) / 1e9));
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => (stderr.length < 4000 ? (stderr += s) : null));
    // Counted in bytes, not decoded into strings: the reader must cost
    // little beside the tool it reads (2 cores), or a fast lister waits on it.
    let lines = 0, rootLines = 0, lastByte = 0x0a;
    // the tail of the last chunk (a root line may straddle chunks); at first
    // a newline, as if before the first line
    let carry = Buffer.from('\n');
    const rootLinesIn = root === null ? null : rootNames(root);
    if (root !== null) {
      child.stdout.on('data', (b) => {
        for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1)) lines++;
        const hay = Buffer.concat([carry, b]);
        rootLines += rootLinesIn(hay, carry.length);
        carry = hay.subarray(Math.max(0, hay.length - rootLinesIn.keep));
        lastByte = b[b.length - 1];
      });
    }
    child.on('error', (e) => (clearTimeout(timer), unregister(), reject(e)));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      unregister();
      if (root !== null && lastByte !== 0x0a) {
        lines++; // an unterminated last line
        rootLines += rootLinesIn(Buffer.concat([carry, Buffer.from('\n')]), carry.length);
      }
      let rssKB = null, note = '';
      try {
        // GNU time puts "Command exited with non-zero status N" or
        // "Command terminated by signal N" before the figure.
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        rssKB = Number(lines.pop()) || null;
        note = lines.join('; ');
      } catch {}
      // GNU time exits with the command's status, or 128+N if it was killed by signal N.
      const r = { wallS, rssKB, status, signal, timedOut, stderr: [note, stderr.trim()].filter(Boolean).join('\n') };
      if (root !== null) Object.assign(r, { lines, rootLines });
      resolve(r);
    });
  });
}

/** Counts the lines of a buffer that are the root itself, with or without a
 *  trailing '/', ending at or after `from`; `keep` is the tail to carry over. */
function rootNames(root) {
  const r = root.replace(/\/+$/, '');
  const pats = [Buffer.from(`\n${r}\n`), Buffer.from(`\n${r}/\n`)];
  const f = (hay, from) => {
    let n = 0;
    for (const p of pats) {
      for (let i = hay.indexOf(p, Math.max(0, from - p.length + 1)); i !== -1; i = hay.indexOf(p, i + 1)) n++;
    }
    return n;
  };
  f.keep = r.length + 2;
  return f;
}
