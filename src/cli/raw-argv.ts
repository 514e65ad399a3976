// Command-line paths as the bytes the user gave. Node decodes argv as UTF-8
// and replaces what is not (U+FFFD), so a file name that is not UTF-8 could
// not be named on the command line. /proc/self/cmdline still has the bytes.
import { readFileSync } from 'node:fs';

const REPLACEMENT = '\ufffd';
let raw: Buffer[] | null | undefined;

/** This process's arguments as bytes, or null where /proc cannot tell. */
function cmdline(): Buffer[] | null {
  if (raw !== undefined) return raw;
  try {
    const all = readFileSync('/proc/self/cmdline');
    const parts: Buffer[] = [];
    for (let s = 0, i = all.indexOf(0); i >= 0; s = i + 1, i = all.indexOf(0, s)) parts.push(all.subarray(s, i));
    raw = parts;
  } catch {
    raw = null;
  }
  return raw;
}

/**
 * The bytes of an argument Node handed over as `arg`: Buffer.from(arg) when
 * it decoded cleanly, else the argument of this process that decodes to it
 * (the first one not already taken by an earlier call with the same text).
 */
export function argBytes(arg: string, taken = new Set<number>()): Buffer {
  if (!arg.includes(REPLACEMENT)) return Buffer.from(arg);
  const parts = cmdline();
  if (parts) {
    for (let i = parts.length - 1; i >= 0; i--) {
      if (!taken.has(i) && parts[i]!.toString() === arg) {
        taken.add(i);
        return parts[i]!;
      }
    }
  }
  return Buffer.from(arg);
}

/** argBytes for a list of arguments, each matched to a different one. */
export function argsBytes(args: string[]): Buffer[] {
  const taken = new Set<number>();
  return args.map((a) => argBytes(a, taken));
}
