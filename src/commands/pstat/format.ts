// GNU `stat -c FORMAT` / `stat --printf FORMAT` (coreutils 9.1), byte for
// byte, for pstat. The format is parsed once into an array of parts; each
// part renders to a latin1 string (one char per byte, so file names and
// names from ids.ts keep their exact bytes), joined and encoded once.
// Not supported (compileFormat throws): %C %m %N. Differences from GNU:
// an invalid directive ("%5%", a trailing "%-5") throws at compile time
// (GNU prints the output up to it, then dies); --printf escape warnings are
// reported once through opts.warn, not once per file; the "'" (grouping)
// and "I" flags are ignored, as in the C locale.
import { constants } from 'node:fs';
import type { Stats } from '../../aio/stats.js';
import { groupName, userName } from './ids.js';
import { fmtProgram, FMT_DEV_MAJOR, FMT_DEV_MINOR, FMT_NATIVE_DIRECTIVES, FMT_RDEV_MAJOR, FMT_RDEV_MINOR } from '../../aio/index.js';

export type Formatter = (path: Buffer, st: Stats) => Buffer;
export interface FormatOptions { printf: boolean; warn?: (msg: string) => void }
/** p: the path as a latin1 string (one char per byte). */
type Part = (p: string, st: Stats) => string;
// dot: a '.' was given; prec: its digits (0 when none, -1 without a dot).
interface Spec { flags: string; width: number; prec: number; dot: boolean; widthStr: string; precDigits?: boolean }

const FLAGS = "'-+ #0I";
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const S_IFMT = constants.S_IFMT;

/** printf's integer conversions, for flags already filtered per GNU's make_format. */
function fmtInt(s: Spec, allowed: string, v: number, radix: 8 | 10 | 16): string {
  const f = s.flags;
  const has = (c: string) => allowed.includes(c) && f.includes(c);
  let digits = Math.abs(v).toString(radix);
  let prefix = v < 0 || Object.is(v, -0) ? '-' : has('+') ? '+' : has(' ') ? ' ' : '';
  if (s.prec >= 0) digits = s.prec === 0 && v === 0 ? '' : digits.padStart(s.prec, '0');
  if (has('#') && radix === 8 && digits[0] !== '0') digits = '0' + digits;
  if (has('#') && radix === 16 && v !== 0) prefix = '0x';
  const len = prefix.length + digits.length;
  if (s.width <= len) return prefix + digits;
  if (has('-')) return (prefix + digits).padEnd(s.width, ' ');
  if (has('0') && s.prec < 0) return prefix + digits.padStart(s.width - prefix.length, '0');
  return (prefix + digits).padStart(s.width, ' ');
}

function fmtStr(s: Spec, v: string): string {
  if (s.prec >= 0 && v.length > s.prec) v = v.slice(0, s.prec);
  if (v.length >= s.width) return v;
  return s.flags.includes('-') ? v.padEnd(s.width, ' ') : v.padStart(s.width, ' ');
}

/** GNU's out_epoch_sec: seconds since the Epoch, printf-%f-like. */
function fmtEpoch(s: Spec, sec: number, nsec: number): string {
  if (!s.dot) return fmtInt(s, "'-+ 0", sec, 10);
  const precision = s.precDigits ? s.prec : 9; // GNU: "%.X" means 9 digits
  let width = 0, frac_left = false;
  let isp: Spec = { flags: s.flags, width: s.width, prec: -1, dot: false, widthStr: '' };
  if (precision && s.widthStr !== '' && 1 < s.width) {
    width = s.width;
    const w = width - 1 - precision;
    frac_left = w > 1 && width - 1 > 1 && s.flags.includes('-');
    isp = { flags: w > 1 ? s.flags.replaceAll('-', '') : s.flags, width: w > 1 && !frac_left ? w : 0, prec: -1, dot: false, widthStr: '' };
  }
  const divisor = 10 ** Math.max(0, 9 - precision);
  let frac = Math.floor(nsec / divisor);
  let minusZero = false;
  if (sec < 0 && nsec !== 0) {
    frac = 1e9 / divisor - frac - (nsec % divisor !== 0 ? 1 : 0);
    if (frac !== 0) sec += 1;
    minusZero = sec === 0;
  }
  const ip = fmtInt(isp, "'-+ 0", minusZero ? -0 : sec, 10);
  if (!precision) return ip;
  const prec = Math.min(precision, 9), trailingPrec = precision - prec;
  const tw = ip.length < width && 1 < width - ip.length ? width - ip.length - 1 - prec : 0;
  return ip + '.' + String(frac).padStart(prec, '0') + '0'.repeat(trailingPrec).padEnd(tw, ' ');
}

// Local time as "YYYY-MM-DD HH:MM:SS.nnnnnnnnn +hhmm", honouring TZ as Node
// sees it (process.env.TZ at startup, or when assigned).
// Perf: UTC offsets cached per hour of UTC time (checked at both ends of the
// hour, so an hour with a transition in it is never cached), dates per day.
const offCache = new Map<number, number>();
const dayCache = new Map<number, string>();
function tzOffset(sec: number): number {
  const h = Math.floor(sec / 3600);
  const hit = offCache.get(h);
  if (hit !== undefined) return hit;
  const off = Math.round(-new Date(sec * 1000).getTimezoneOffset() * 60);
  const a = -new Date(h * 3600e3).getTimezoneOffset(), b = -new Date((h * 3600 + 3599) * 1e3).getTimezoneOffset();
  if (a === b) { if (offCache.size > 4096) offCache.clear(); offCache.set(h, off); }
  return off;
}
export function clearTimeCaches(): void { offCache.clear(); dayCache.clear(); }
const p2 = (n: number) => (n < 10 ? '0' : '') + n;

export function humanTime(sec: number, nsec: number): string {
  const off = tzOffset(sec), local = sec + off;
  const day = Math.floor(local / 86400);
  let date = dayCache.get(day);
  if (date === undefined) {
    const d = new Date(day * 86400e3);
    const y = d.getUTCFullYear();
    date = (y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0')) +
      '-' + p2(d.getUTCMonth() + 1) + '-' + p2(d.getUTCDate()) + ' ';
    if (dayCache.size > 4096) dayCache.clear();
    dayCache.set(day, date);
  }
  const t = local - day * 86400;
  const ao = Math.abs(off);
  return date + p2(Math.floor(t / 3600)) + ':' + p2(Math.floor(t / 60) % 60) + ':' + p2(t % 60) + '.' +
    String(nsec).padStart(9, '0') + (off < 0 ? ' -' : ' +') + p2(Math.floor(ao / 3600)) + p2(Math.floor(ao / 60) % 60);
}

function fileType(st: Stats): string {
  switch (st.mode & S_IFMT) {
    case constants.S_IFREG: return st.size === 0 ? 'regular empty file' : 'regular file';
    case constants.S_IFDIR: return 'directory';
    case constants.S_IFLNK: return 'symbolic link';
    case constants.S_IFIFO: return 'fifo';
    case constants.S_IFSOCK: return 'socket';
    case constants.S_IFCHR: return 'character special file';
    case constants.S_IFBLK: return 'block special file';
    default: return 'weird file';
  }
}

const TYPE_CHAR: Record<number, string> = {
  [constants.S_IFREG]: '-', [constants.S_IFDIR]: 'd', [constants.S_IFLNK]: 'l', [constants.S_IFIFO]: 'p',
  [constants.S_IFSOCK]: 's', [constants.S_IFCHR]: 'c', [constants.S_IFBLK]: 'b',
};
export function modeString(m: number): string {
  const rwx = (r: number, w: number, x: number, special: number, on: string, off: string) =>
    (m & r ? 'r' : '-') + (m & w ? 'w' : '-') + (m & special ? (m & x ? on : off) : m & x ? 'x' : '-');
  return (TYPE_CHAR[m & S_IFMT] ?? '?') + rwx(0o400, 0o200, 0o100, 0o4000, 's', 'S') +
    rwx(0o040, 0o020, 0o010, 0o2000, 's', 'S') + rwx(0o004, 0o002, 0o001, 0o1000, 't', 'T');
}

// glibc's major()/minor() for a dev_t held in a double (exact below 2^53).
const hi32 = (d: number) => Math.floor(d / 4294967296), lo32 = (d: number) => d >>> 0;
export const major = (d: number) => ((lo32(d) >>> 8) & 0xfff) | ((hi32(d) & ~0xfff) >>> 0);
export const minor = (d: number) => (lo32(d) & 0xff) | ((lo32(d) >>> 12) & ~0xff);

/** One directive; mod is 'H', 'L' or ''. */
function directive(code: string, mod: string, s: Spec): Part | undefined {
  const u = (get: (st: Stats) => number): Part => (_p, st) => fmtInt(s, "'-0", get(st), 10);
  const str = (get: (p: string, st: Stats) => string): Part => (p, st) => fmtStr(s, get(p, st));
  const ep = (sec: (st: Stats) => number, ns: (st: Stats) => number): Part => (_p, st) => fmtEpoch(s, sec(st), ns(st));
  switch (code) {
    case 'n': return str((p) => p);
    case 'd': return mod === 'H' ? u((st) => major(st.dev)) : mod === 'L' ? u((st) => minor(st.dev)) : u((st) => st.dev);
    case 'r': return mod === 'H' ? u((st) => major(st.rdev)) : mod === 'L' ? u((st) => minor(st.rdev)) : u((st) => st.rdev);
    case 'D': return (_p, st) => fmtInt(s, '-#0', st.dev, 16);
    case 'R': return (_p, st) => fmtInt(s, '-#0', st.rdev, 16);
    case 't': return (_p, st) => fmtInt(s, '-#0', major(st.rdev), 16);
    case 'T': return (_p, st) => fmtInt(s, '-#0', minor(st.rdev), 16);
    case 'f': return (_p, st) => fmtInt(s, '-#0', st.mode, 16);
    case 'a': return (_p, st) => fmtInt(s, '-#0', st.mode & 0o7777, 8);
    case 'A': return str((_p, st) => modeString(st.mode));
    case 'F': return str((_p, st) => fileType(st));
    case 'i': return u((st) => st.ino);
    case 'h': return u((st) => st.nlink);
    case 'u': return u((st) => st.uid);
    case 'g': return u((st) => st.gid);
    case 'U': return str((_p, st) => userName(st.uid) ?? 'UNKNOWN');
    case 'G': return str((_p, st) => groupName(st.gid) ?? 'UNKNOWN');
    case 's': return (_p, st) => fmtInt(s, "'-+ 0", st.size, 10);
    case 'b': return u((st) => st.blocks);
    case 'B': return u(() => 512);
    case 'o': return u((st) => st.blksize);
    case 'x': return str((_p, st) => humanTime(st.atimeSec, st.atimeNsec));
    case 'y': return str((_p, st) => humanTime(st.mtimeSec, st.mtimeNsec));
    case 'z': return str((_p, st) => humanTime(st.ctimeSec, st.ctimeNsec));
    case 'w': return str((_p, st) => (st.birthtimeSec < 0 ? '-' : humanTime(st.birthtimeSec, st.birthtimeNsec)));
    case 'X': return ep((st) => st.atimeSec, (st) => st.atimeNsec);
    case 'Y': return ep((st) => st.mtimeSec, (st) => st.mtimeNsec);
    case 'Z': return ep((st) => st.ctimeSec, (st) => st.ctimeNsec);
    case 'W': return ep((st) => Math.max(0, st.birthtimeSec), (st) => (st.birthtimeSec < 0 ? 0 : st.birthtimeNsec));
    case 'C': case 'm': case 'N': throw new Error(`%${code} is not supported by pstat`);
    default: return undefined;
  }
}

const ESC: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
const isOct = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Parse fmt once; the returned function formats one path (with -c's newline). */
export function compileFormat(fmt: string | Buffer, opts: FormatOptions): Formatter {
  const text = compileFormatText(fmt, opts);
  return (p, st) => Buffer.from(text(p.toString('latin1'), st), 'latin1');
}

/** A parsed format: literal runs (latin1) and directives. */
type Token = string | { code: string; mod: string; spec: Spec };

/** GNU's format syntax, once: escapes (with printf) resolved, "%%" folded,
 *  and -c's newline added. Throws on an invalid directive. */
function parseFormat(fmt: string | Buffer, opts: FormatOptions): Token[] {
  const f = (typeof fmt === 'string' ? Buffer.from(fmt, 'utf8') : fmt).toString('latin1');
  const tokens: Token[] = [];
  let lit = '';
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c === '\\' && opts.printf) {
      const n = f[i + 1];
      if (isOct(n)) {
        let v = 0, k = 0;
        for (; k < 3 && isOct(f[i + 1 + k]); k++) v = v * 8 + Number(f[i + 1 + k]);
        lit += String.fromCharCode(v & 0xff); i += k;
      } else if (n === 'x' && isHex(f[i + 2])) {
        const k = isHex(f[i + 3]) ? 2 : 1;
        lit += String.fromCharCode(parseInt(f.substr(i + 2, k), 16)); i += 1 + k;
      } else if (n === undefined) {
        opts.warn?.('warning: backslash at end of format'); lit += '\\';
      } else {
        if (!(n in ESC)) opts.warn?.(`warning: unrecognized escape '\\${n}'`);
        lit += ESC[n] ?? n; i++;
      }
      continue;
    }
    if (c !== '%') { lit += c; continue; }
    let j = i + 1;
    while (j < f.length && FLAGS.includes(f[j]!)) j++;
    const flags = f.slice(i + 1, j);
    const w0 = j;
    while (isDigit(f[j])) j++;
    const widthStr = f.slice(w0, j);
    const width = w0 === j ? 0 : Number(f.slice(w0, j));
    let dot = false, prec = -1;
    if (f[j] === '.') {
      dot = true; const p0 = ++j;
      while (isDigit(f[j])) j++;
      prec = p0 === j ? 0 : Number(f.slice(p0, j));
    }
    const code = f[j];
    if (code === undefined || code === '%') {
      if (j - i - 1 >= 1) throw new Error(`'${f.slice(i, j + 1)}': invalid directive`);
      lit += '%'; i = j; continue;
    }
    const spec: Spec = { flags, width, prec, dot, widthStr, precDigits: dot && f[j - 1] !== '.' };
    let mod = '', k = j;
    if ((code === 'H' || code === 'L') && (f[j + 1] === 'd' || f[j + 1] === 'r')) { mod = code; k = j + 1; }
    if (lit !== '') { tokens.push(lit); lit = ''; }
    tokens.push({ code: f[k]!, mod, spec });
    i = k;
  }
  if (!opts.printf) lit += '\n';
  if (lit !== '') tokens.push(lit);
  return tokens;
}

/** compileFormat on latin1 strings (one char per byte): the path in, the
 *  line out. Perf: pstat keeps paths as latin1 strings from input to output
 *  and writes a whole batch's lines at once, with no Buffer per path. */
export function compileFormatText(fmt: string | Buffer, opts: FormatOptions): (path: string, st: Stats) => string {
  const parts: (string | Part)[] = [];
  for (const t of parseFormat(fmt, opts)) {
    const part = typeof t === 'string' ? t : directive(t.code, t.mod, t.spec) ?? '?';
    if (typeof part === 'string' && typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += part;
    else parts.push(part);
  }
  // Perf: the shape of the renderer is chosen here, once per format.
  const n = parts.length;
  if (n === 1 && typeof parts[0] === 'string') { const s = parts[0]; return () => s; }
  return (p, st) => {
    let out = '';
    for (let x = 0; x < n; x++) { const q = parts[x]!; out += typeof q === 'string' ? q : q(p, st); }
    return out;
  };
}

const MOD_CODES: Record<string, number> = { Hd: FMT_DEV_MAJOR, Ld: FMT_DEV_MINOR, Hr: FMT_RDEV_MAJOR, Lr: FMT_RDEV_MINOR };

/** The format as a line program for aio.statFormat (the worker renders the
 *  lines), or undefined when some directive has flags, a width or a
 *  precision, or is one the worker does not render: then compileFormatText's
 *  renderer is used. Call it after compileFormatText (which reports errors
 *  and warnings). */
export function nativeFormatProgram(fmt: string | Buffer, opts: FormatOptions): Buffer | undefined {
  const parts: (string | number)[] = [];
  for (const t of parseFormat(fmt, { printf: opts.printf })) {
    if (typeof t === 'string') { parts.push(t); continue; }
    const { flags, dot, widthStr } = t.spec;
    if (flags !== '' || dot || widthStr !== '') return undefined;
    if (t.mod) parts.push(MOD_CODES[t.mod + t.code]!);
    else if (FMT_NATIVE_DIRECTIVES.includes(t.code)) parts.push(t.code.charCodeAt(0));
    else if (directive(t.code, '', t.spec) === undefined) parts.push('?');
    else return undefined;
  }
  return parts.length ? fmtProgram(parts) : undefined;
}
