import { argError } from '../errors.js';

/** (atime, mtime) as seconds for libeio; both null means "now" (libeio's -1, -1). */
export function toTimes(atime: unknown, mtime: unknown): [number, number] {
  if (atime === null && mtime === null) return [-1, -1];
  return [toSeconds(atime, 'atime'), toSeconds(mtime, 'mtime')];
}

function toSeconds(v: unknown, name: string): number {
  if (v instanceof Date) return v.getTime() / 1000;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw argError(name, 'a number of seconds or a Date (or both null for now)', v);
}
