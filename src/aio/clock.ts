// The monotonic clock every timing here reads, in milliseconds.
//
// Perf: not performance.now(): the first use of Node's `performance` global
// loads perf_hooks and its ten internal modules (0.8 ms of every command's
// start, measured 2026-12-06), for a number process.hrtime gives directly.
// The two clocks have different origins: read only this one.
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
