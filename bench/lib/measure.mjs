// Timing and CPU accounting for one benchmark run. Main-thread CPU comes from
// /proc/self/task/<pid> (the main thread's tid is the pid), so worker threads
// (libuv's or libeio's) are excluded; process.cpuUsage() counts every thread.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TASK = `/proc/self/task/${process.pid}`;

function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
export const CLK_TCK = clockTicks();

/** Main thread [utime, stime] in clock ticks, or null off Linux. */
function mainTicks() {
  try {
    const s = readFileSync(`${TASK}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return [Number(f[11]), Number(f[12])]; // fields 14 utime, 15 stime
  } catch {
    return null;
  }
}

/** Main thread on-CPU nanoseconds (schedstat, finer than ticks), or null. */
function mainSchedNs() {
  try {
    return Number(readFileSync(`${TASK}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

function snapshot() {
  return { ticks: mainTicks(), ns: mainSchedNs(), cpu: process.cpuUsage(), wall: process.hrtime.bigint() };
}

/** Runs fn() (async, resolving to { requests, … }) and adds rates and CPU per request. */
export async function measure(fn) {
  const a = snapshot();
  const r = await fn();
  const b = snapshot();
  const wallS = Number(b.wall - a.wall) / 1e9;
  const per = (us) => us / r.requests;
  const tickUs = (i) => (a.ticks === null ? null : ((b.ticks[i] - a.ticks[i]) * 1e6) / CLK_TCK);
  const mainUs = a.ticks === null ? null : tickUs(0) + tickUs(1);
  return {
    ...r,
    wallS,
    rps: r.requests / wallS,
    mainUsPerReq: mainUs === null ? null : per(mainUs),
    mainUserUsPerReq: mainUs === null ? null : per(tickUs(0)),
    mainSysUsPerReq: mainUs === null ? null : per(tickUs(1)),
    mainSchedUsPerReq: a.ns === null ? null : per((b.ns - a.ns) / 1e3),
    processUsPerReq: per(b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system),
  };
}

export function median(xs) {
  const s = xs.filter((x) => x !== null).sort((x, y) => x - y);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
