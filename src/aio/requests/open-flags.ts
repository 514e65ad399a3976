import { constants } from 'node:fs';
import { argError } from '../errors.js';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC } = constants;
const O_CLOEXEC = 0o2000000; // Linux; not in fs.constants

const byName: Record<string, number> = {
  r: O_RDONLY,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
};

/** open(2) flags from a number or Node's flag strings; always close-on-exec. */
export function openFlags(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v | O_CLOEXEC;
  if (typeof v === 'string' && v in byName) return byName[v]! | O_CLOEXEC;
  throw argError('flags', `an integer or one of ${Object.keys(byName).join(', ')}`, v);
}
