// Device numbers apart and together: IO::AIO::major/minor/makedev, with
// glibc's Linux encoding of dev_t (12 bits of major and 20 of minor split
// around the old 8:8 layout, so old numbers keep their value). Numbers, as
// Stats gives st_dev and st_rdev: exact while the dev_t is below 2^53.
import { toInt } from './args.js';
import { argError } from './errors.js';

const M32 = 0xffffffffn;

/** The major number of a st_dev or st_rdev. */
export function major(dev: number): number {
  const d = BigInt(toInt(dev, 'dev', 0));
  return Number((((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn)) & M32);
}

/** The minor number of a st_dev or st_rdev. */
export function minor(dev: number): number {
  const d = BigInt(toInt(dev, 'dev', 0));
  return Number(((d & 0xffn) | ((d >> 12n) & ~0xffn)) & M32);
}

/** The dev_t of a major and a minor number (each 0 to 2^32 - 1). */
export function makedev(maj: number, min: number): number {
  const a = BigInt(toInt(maj, 'major', 0, 0xffffffff));
  const b = BigInt(toInt(min, 'minor', 0, 0xffffffff));
  const d = ((a & 0xfffn) << 8n) | ((a & ~0xfffn) << 32n) | (b & 0xffn) | ((b & ~0xffn) << 12n);
  if (d > BigInt(Number.MAX_SAFE_INTEGER)) throw argError('major', 'a major number whose dev_t fits in 2^53 (below 2^21)', maj);
  return Number(d);
}
