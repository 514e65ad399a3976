// getFdlimit / minFdlimit against the kernel's own view (/proc/<pid>/limits),
// in children started under prlimit so this process's limits stay as they
// are; fadvise on a real file; poll() as IO::AIO::poll (wait, then handle).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { DIST_INDEX, ensureDist } from '../helpers/child.js';

beforeAll(() => ensureDist(), 120_000);

/** Runs an ES module under `prlimit --nofile=SOFT:HARD`; its stdout. */
function underLimit(nofile: string, source: string): string {
  const code = source.replaceAll('IOAIO', pathToFileURL(DIST_INDEX).href);
  return execFileSync('prlimit', [`--nofile=${nofile}`, process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 10_000 });
}

/** The child's "soft:hard" for open files, as the kernel reports them. */
const LIMITS = `(await import('node:fs')).readFileSync('/proc/self/limits', 'utf8').match(/Max open files +(\\d+) +(\\d+)/).slice(1).join(':')`;
/** Sets the child's own limits from outside (prlimit --pid): Node raises
 *  the soft limit to the hard one as it starts, so a lower soft limit has
 *  to come after. */
const SET_OWN = (nofile: string) => `(await import('node:child_process')).execFileSync('prlimit', ['--pid', String(process.pid), '--nofile=${nofile}']);`;

/** Raising the hard limit needs CAP_SYS_RESOURCE (bit 24), not only uid 0. */
const mayRaiseHard = (BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`) >> 24n) & 1n;

describe('getFdlimit / minFdlimit', () => {
  it('getFdlimit is the soft limit the kernel reports', () => {
    expect(aio.getFdlimit()).toBe(Number(/Max open files +(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))![1]));
    const out = underLimit('123:456', `import { aio } from 'IOAIO'; ${SET_OWN('100:456')} console.log(aio.getFdlimit(), ${LIMITS});`);
    expect(out.trim()).toBe('100 100:456');
  });

  it('raises the soft limit within the hard one, and leaves a higher limit alone', () => {
    const out = underLimit('100:200', `import { aio } from 'IOAIO'; ${SET_OWN('100:200')}
      aio.minFdlimit(150); const a = ${LIMITS}; aio.minFdlimit(10); console.log(a, ${LIMITS});`);
    expect(out.trim()).toBe('150:200 150:200');
  });

  it.skipIf(!mayRaiseHard)('with CAP_SYS_RESOURCE, raises the hard limit too (skipped without it: this process lacks it)', () => {
    const out = underLimit('100:200', `import { aio } from 'IOAIO'; aio.minFdlimit(5000); console.log(${LIMITS});`);
    expect(out.trim()).toBe('5000:5000');
  });

  it('past the hard limit without the privilege, or past fs.nr_open, it fails naming setrlimit, with the soft limit raised to the hard one', () => {
    const nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8'));
    for (const n of mayRaiseHard ? [nrOpen + 1] : [5000, nrOpen + 1]) {
      const out = underLimit('100:200', `import { aio } from 'IOAIO'; ${SET_OWN('100:200')}
        try { aio.minFdlimit(${n}); console.log('no error'); } catch (e) { console.log(e.code, e.syscall, ${LIMITS}); }`);
      expect(out.trim(), `n = ${n}`).toBe('EPERM setrlimit 200:200');
    }
  });

  it("without n it asks for the kernel's ceiling (fs.nr_open)", () => {
    const nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8'));
    const out = underLimit('100:200', `import { aio } from 'IOAIO'; try { aio.minFdlimit(); } catch (e) { console.log(e.code); } console.log(aio.getFdlimit());`);
    expect(out.trim()).toBe(mayRaiseHard ? String(nrOpen) : 'EPERM\n200');
  });

  it('rejects a bad n', () => {
    expect(() => aio.minFdlimit(-1)).toThrow(/n/);
  });
});

describe('fadvise', () => {
  it('accepts each advice on an open file, and says EBADF for a closed fd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioaio-fadvise-'));
    try {
      const p = join(dir, 'f');
      writeFileSync(p, Buffer.alloc(1 << 16, 7));
      const fd = openSync(p, 'r');
      for (const a of [aio.FADV_NORMAL, aio.FADV_RANDOM, aio.FADV_SEQUENTIAL, aio.FADV_WILLNEED, aio.FADV_DONTNEED, aio.FADV_NOREUSE]) aio.fadvise(fd, 0, 0, a);
      closeSync(fd);
      expect(() => aio.fadvise(fd, 0, 0, aio.FADV_DONTNEED)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'fadvise' }));
      expect(() => aio.fadvise(0, 0, 0, 6)).toThrow(/advice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('poll', () => {
  it('waits for a result and handles it before returning (IO::AIO::poll)', () => {
    let seen = -1;
    aio.stat('/etc/passwd', (err, st) => { seen = err ? -2 : st!.size; });
    let handled = 0;
    while (seen === -1) handled += aio.poll();
    expect(seen).toBe(readFileSync('/etc/passwd').length);
    expect(handled).toBeGreaterThanOrEqual(1);
    expect(aio.poll()).toBe(0); // nothing in flight: returns at once
  });
});
