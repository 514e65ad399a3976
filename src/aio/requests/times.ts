// Times for utime/futime as utimensat(2) wants them: whole seconds and
// nanoseconds apart, so negative and sub-microsecond times are exact.
import { argError } from '../errors.js';
import { UTIME_NOW, UTIME_OMIT } from '../native/kinds.js';

/** undefined leaves that time as it is (UTIME_OMIT); null is now. */
export type TimeArg = number | bigint | Date | null | undefined;

/** [sec, nsec]: a number of seconds (with fractions), a bigint of
 *  nanoseconds (exact), a Date, or null for "now". */
export function toTimespec(v: unknown, name: string): [number, number] {
  if (v === null) return [0, UTIME_NOW];
  if (v === undefined) return [0, UTIME_OMIT];
  if (typeof v === 'bigint') {
    let sec = v / 1_000_000_000n;
    let nsec = v - sec * 1_000_000_000n;
    if (nsec < 0n) {
      sec -= 1n;
      nsec += 1_000_000_000n;
    }
    return [Number(sec), Number(nsec)];
  }
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) throw argError(name, 'a valid Date', v);
    const sec = Math.floor(ms / 1000);
    return [sec, (ms - sec * 1000) * 1e6];
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    let sec = Math.floor(v);
    let nsec = Math.round((v - sec) * 1e9);
    if (nsec >= 1e9) {
      sec += 1;
      nsec -= 1e9;
    }
    return [sec, nsec];
  }
  throw argError(name, 'seconds (number), nanoseconds (bigint), a Date, or null for now', v);
}

/** Both undefined: now, as Perl's utime(undef, undef) and IO::AIO's
 *  aio_utime. One undefined: that one is left as it is (Perl would make it
 *  0, the epoch, by its numeric conversion; leaving it is what is meant). */
export function toTimes(atime: unknown, mtime: unknown): [number, number, number, number] {
  if (atime === undefined && mtime === undefined) return [0, UTIME_NOW, 0, UTIME_NOW];
  return [...toTimespec(atime, 'atime'), ...toTimespec(mtime, 'mtime')];
}
