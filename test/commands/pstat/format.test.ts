// pstat's formatter against GNU stat(1), byte for byte, on real files.
// Paths reach stat(1) through `xargs -0` on stdin, so non-UTF-8 bytes and
// newlines in names survive (spawn's argv only takes strings).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../../src/aio/index.js';
import type { Stats } from '../../../src/aio/stats.js';
import { clearTimeCaches, compileFormat } from '../../../src/commands/pstat/format.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pstat-format-'));
const B = (name: string | Buffer) => Buffer.concat([Buffer.from(root + '/'), Buffer.from(name)]);
const files: Record<string, Buffer> = {
  regular: B('regular'), empty: B('empty'), dir: B('dir'), symlink: B('symlink'), fifo: B('fifo'),
  special: B('special'), devnull: Buffer.from('/dev/null'),
  nonUtf8: B(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff])), newline: B('new\nline'),
};
const DIRECTIVES = 'n s b B f F a A u U g G i h d D t T x X y Y z Z w W o %'.split(' ');

function gnu(fmt: string, p: Buffer, mode: '-c' | '--printf' = '-c', tz?: string): Buffer {
  const env = tz === undefined ? process.env : { ...process.env, TZ: tz };
  const r = spawnSync('xargs', ['-0', 'stat', mode, fmt], { input: Buffer.concat([p, Buffer.from([0])]), env });
  if (r.status !== 0) throw new Error(`stat ${mode} ${fmt}: ${r.stderr.toString()}`);
  return r.stdout;
}
const ours = (fmt: string, p: Buffer, st: Stats, printf = false) => compileFormat(fmt, { printf })(p, st);

const stats: Record<string, Stats> = {};
beforeAll(async () => {
  fs.writeFileSync(files.regular!, 'some bytes\n'.repeat(1000));
  fs.writeFileSync(files.empty!, '');
  fs.mkdirSync(files.dir!);
  fs.symlinkSync('regular', files.symlink!);
  spawnSync('mkfifo', [root + '/fifo']);
  fs.writeFileSync(files.special!, 'x');
  fs.chmodSync(files.special!, 0o7751);
  fs.writeFileSync(files.nonUtf8!, 'y');
  fs.writeFileSync(files.newline!, 'z');
  fs.utimesSync(files.regular!, 1_600_000_000.5, 1_600_000_000.123457);
  for (const [k, p] of Object.entries(files)) stats[k] = await aio.lstat(p);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('compileFormat -c, each directive, against GNU stat', () => {
  for (const d of DIRECTIVES) {
    it(`%${d}`, () => {
      for (const [k, p] of Object.entries(files)) {
        const want = gnu(`%${d}`, p);
        const got = ours(`%${d}`, p, stats[k]!);
        expect(got.toString('latin1'), `${k} %${d}`).toBe(want.toString('latin1'));
        expect(got.equals(want)).toBe(true);
      }
    });
  }
});

describe('combined formats, flags, odd directives', () => {
  const formats = [
    '%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o',
    '[%n] %A %a %F %U:%G %x|%y|%z|%w',
    '%10n|%-10n|%.3n|%08s|%-8s|%+s|% s|%#a|%#f|%#x|%05a|%-6u|%.2i|%Hd:%Ld %Hr:%Lr %r %R',
    '%.3X|%.X|%.0Y|%15.3Z|%-15.3Z|%015.3Y|%5.2Y|%.12Y|%+X|%20W|%.3W',
    'a%q b%Hq c%H d%HR e%% f%',
    'no directives at all', '', 'ütf8 %n ü',
  ];
  for (const fmt of formats) {
    it(JSON.stringify(fmt), () => {
      for (const [k, p] of Object.entries(files)) {
        expect(ours(fmt, p, stats[k]!).toString('latin1'), k).toBe(gnu(fmt, p).toString('latin1'));
      }
    });
  }

  it('invalid directives throw, as GNU stat fails', () => {
    for (const fmt of ['%5%', '%-5%', 'a%5', 'a%-', 'a%.']) {
      expect(() => compileFormat(fmt, { printf: false }), fmt).toThrow(/invalid directive/);
      expect(spawnSync('stat', ['-c', fmt, '/']).status).toBe(1);
    }
  });

  it('%C %m %N are refused', () => {
    for (const d of ['C', 'm', 'N']) expect(() => compileFormat(`%${d}`, { printf: false })).toThrow(/not supported/);
  });
});

describe('--printf mode', () => {
  it('escapes, no trailing newline, byte for byte', () => {
    const fmt = '%n\\t%s\\n\\a\\b\\e\\f\\r\\v\\\\ \\101\\0\\7777 \\x41\\x4a4\\xg \\q \\"%%\\n';
    const warnings: string[] = [];
    const f = compileFormat(fmt, { printf: true, warn: (m) => warnings.push(m) });
    for (const [k, p] of Object.entries(files)) {
      expect(f(p, stats[k]!).toString('latin1'), k).toBe(gnu(fmt, p, '--printf').toString('latin1'));
    }
    expect(warnings).toEqual(["warning: unrecognized escape '\\x'", "warning: unrecognized escape '\\q'", "warning: unrecognized escape '\\\"'"]);
  });

  it('a trailing backslash', () => {
    const warnings: string[] = [];
    const got = compileFormat('%s\\', { printf: true, warn: (m) => warnings.push(m) })(files.regular!, stats.regular!);
    expect(got.toString('latin1')).toBe(gnu('%s\\', files.regular!, '--printf').toString('latin1'));
    expect(warnings).toEqual(['warning: backslash at end of format']);
  });

  it('-c keeps backslashes literally', () => {
    const fmt = 'a\\nb\\t%s';
    expect(ours(fmt, files.regular!, stats.regular!).toString('latin1')).toBe(gnu(fmt, files.regular!).toString('latin1'));
  });
});

describe('time zones', () => {
  const saved = process.env.TZ;
  afterAll(() => { if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved; clearTimeCaches(); });
  // Instants around DST transitions (New York 2026-03-08, 2026-11-01), before
  // the epoch, with and without nanoseconds.
  const instants: [number, number][] = [
    [1_773_000_000, 123_456_789], [1_772_953_199, 999_999_999], [1_772_953_200, 0],
    [1_793_512_799, 1], [1_793_512_800, 5], [1_795_450_000, 0], [0, 0], [-86_400 * 365 * 30 - 1, 250_000_000],
    [951_782_400, 7], [4_102_444_800, 42],
  ];
  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
    it(tz, async () => {
      process.env.TZ = tz; // Node resets its zone cache on assignment.
      clearTimeCaches();
      const p = files.empty!;
      for (const [sec, nsec] of instants) {
        fs.utimesSync(p, 1_600_000_000, 1_600_000_000);
        const t = spawnSync('touch', ['-h', '-m', '-d', `@${sec}.${String(nsec).padStart(9, '0')}`, p.toString()]);
        expect(t.status).toBe(0);
        const st = fs.lstatSync(p, { bigint: true });
        expect(st.mtimeNs).toBe(BigInt(sec) * 1_000_000_000n + BigInt(sec < 0 ? -nsec : nsec)); // @-1.25 is -1.25 s
        const ns = st.mtimeNs, r = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n; // timespec: nsec >= 0
        const s = { ...stats.empty!, mtimeSec: Number((ns - r) / 1_000_000_000n), mtimeNsec: Number(r) } as Stats;
        expect(s).toMatchObject({ mtimeSec: (await aio.lstat(p)).mtimeSec, mtimeNsec: (await aio.lstat(p)).mtimeNsec });
        const fmt = '%y|%Y|%.3Y|%.9Y';
        expect(ours(fmt, p, s).toString(), `${tz} ${sec}`).toBe(gnu(fmt, p, '-c', tz).toString());
      }
    });
  }
});
