// The named constants against the installed IO::AIO's (the same names, the
// same values), and a few of them used for real: RENAME_NOREPLACE refuses,
// SEEK_DATA / SEEK_HOLE find a hole, statvfs's ST_* flags match the mount's options.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import * as constants from '../../src/aio/constants.js';
import * as limits from '../../src/aio/limits.js';
import * as syncfd from '../../src/aio/syncfd.js';
import * as mmapFamily from '../../src/aio/requests/mmap.js';

const ours: Record<string, number> = Object.fromEntries(Object.entries({ ...constants, ...limits, ...syncfd, ...mmapFamily }).filter(([k, v]) => /^[A-Z]/.test(k) && typeof v === 'number')) as Record<string, number>;

/** Names whose value differs from the installed IO::AIO's on purpose. */
const DIFFERS: Record<string, { theirs: number | null; why: string }> = {
  // Debian's IO::AIO 4.80 was built without these in its headers and
  // exports 0, which memfd_create would take as "no huge pages": ours are
  // the kernel's (MFD_HUGE_2MB, MFD_HUGE_1GB).
  MFD_HUGETLB_2MB: { theirs: 0, why: 'IO::AIO built without it' },
  MFD_HUGETLB_1GB: { theirs: 0, why: 'IO::AIO built without it' },
  // fcntl's basics, which Perl keeps in Fcntl and IO::AIO does not export
  ...Object.fromEntries(['F_DUPFD', 'F_GETFD', 'F_SETFD', 'F_GETFL', 'F_SETFL', 'F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_OFD_SETLKW', 'FD_CLOEXEC', 'F_RDLCK', 'F_WRLCK', 'F_UNLCK'].map((n) => [n, { theirs: null, why: 'not in IO::AIO' }])),
};

/** IO::AIO names we leave out on purpose. */
const NOT_OURS: Record<string, string> = {
  // Linux has no such command (F_OFD_SETLKW is the waiting one); IO::AIO
  // exports 0, which fcntl would take as F_DUPFD
  F_OFD_GETLKW: 'no such command',
};

/** IO::AIO's value of each name (undef: null). */
function ioAio(names: string[]): Record<string, number | null> {
  const out = execFileSync('perl', ['-MIO::AIO', '-e', 'for (@ARGV) { my $v = eval "IO::AIO::$_()"; print "$_=", (defined $v ? $v : "undef"), "\\n" }', ...names], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => { const [k, v] = l.split('='); return [k!, v === 'undef' ? null : Number(v)]; }));
}

describe('named constants', () => {
  it('are exported on aio with the values IO::AIO gives them', () => {
    const names = Object.keys(ours);
    expect(names.length).toBeGreaterThan(80);
    const theirs = ioAio(names);
    expect(names.filter((n) => theirs[n] !== ours[n] && !(n in DIFFERS)).map((n) => `${n}: ours ${ours[n]}, IO::AIO ${theirs[n]}`)).toEqual([]);
    // each deliberate difference is still one: IO::AIO's value is what DIFFERS says
    for (const [n, v] of Object.entries(DIFFERS)) expect([n, theirs[n]]).toEqual([n, v.theirs]);
    const api = aio as unknown as Record<string, unknown>;
    expect(names.filter((n) => api[n] !== ours[n])).toEqual([]);
  });

  it('cover every family the issue names, as IO::AIO exports them', () => {
    const all = execFileSync('perl', ['-MIO::AIO', '-e', 'print join "\\n", grep { /^(RENAME_|FALLOC_FL_|SEEK_|SYNC_FILE_RANGE_|ST_|MADV_|MAP_|PROT_|MCL_|SPLICE_F_|FIEMAP_|MREMAP_|FADV_|EFD_|MFD_|TFD_|CLOCK_|MNT_|UMOUNT_|F_|FS_|FICLONE|FIDEDUPERANGE|FIFREEZE|FITHAW|FITRIM|MT_|MS_)/ } sort keys %IO::AIO::'], { encoding: 'utf8' }).trim().split('\n');
    expect(all.filter((n) => !(n in ours) && !(n in NOT_OURS))).toEqual([]);
    for (const n of Object.keys(NOT_OURS)) expect(ours[n]).toBeUndefined();
  });

  it('work with the requests they belong to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioaio-const-'));
    try {
      writeFileSync(join(dir, 'a'), 'a');
      writeFileSync(join(dir, 'b'), 'b');
      await expect(aio.rename2(join(dir, 'a'), join(dir, 'b'), aio.RENAME_NOREPLACE)).rejects.toMatchObject({ code: 'EEXIST' });
      // a 1 MiB hole, then 4 KiB of data
      const fd = await aio.open(join(dir, 'sparse'), 'w+', 0o644);
      await aio.write(fd, Buffer.alloc(4096, 1), 1 << 20);
      expect(await aio.seek(fd, 0, aio.SEEK_DATA)).toBe(1 << 20);
      expect(await aio.seek(fd, 0, aio.SEEK_HOLE)).toBe(0);
      await aio.close(fd);
      // statvfs's flags against the mount options findmnt reads
      for (const m of ['/proc', '/dev/shm', '/']) {
        const opts = execFileSync('findmnt', ['-no', 'OPTIONS', m], { encoding: 'utf8' }).trim().split(',');
        const { flag } = await aio.statvfs(m);
        const pairs = [[aio.ST_RDONLY, 'ro'], [aio.ST_NOSUID, 'nosuid'], [aio.ST_NODEV, 'nodev'], [aio.ST_NOEXEC, 'noexec'], [aio.ST_RELATIME, 'relatime'], [aio.ST_NOATIME, 'noatime']] as const;
        expect(pairs.map(([bit]) => (flag & bit) !== 0), m).toEqual(pairs.map(([, o]) => opts.includes(o)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
