// Runs one external command for a benchmark: wall time measured here (spawn
// to exit), peak RSS from GNU time's %M (the command's own maximum resident
// set, KiB; its waited-for children's too), a time limit that kills the whole
// process group, and either output thrown away (/dev/null, as in the timed
// runs) or output counted line by line (the untimed verification runs).
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
 * Resolves to { wallS, rssKB, status, signal, timedOut, stderr, lines?, rootLines? }.
 */
export function run(argv, { root = null, timeoutS = 300, env = process.env } = {}) {
  const rssFile = join(scratch, 'rss');
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    // detached: its own process group, so a time-out kills the command and
    // not just GNU time.
    const child = spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, ...argv], {
      stdio: ['ignore', root === null ? devNull : 'pipe', 'pipe'],
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
    let lines = 0, rootLines = 0, rest = '';
    const rootNames = root === null ? null : new Set([root.replace(/\/+$/, ''), root.replace(/\/+$/, '') + '/']);
    if (root !== null) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (s) => {
        const parts = (rest + s).split('\n');
        rest = parts.pop();
        lines += parts.length;
        for (const p of parts) if (rootNames.has(p)) rootLines++;
      });
    }
    child.on('error', (e) => (clearTimeout(timer), unregister(), reject(e)));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      unregister();
      if (rest !== '') {
        lines++;
        if (rootNames.has(rest)) rootLines++;
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
