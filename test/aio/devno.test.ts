// major/minor/makedev against the kernel's own numbers, as stat(1) reads them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

/** stat(1)'s [major, minor] of a path's rdev and of its dev. */
function kernel(path: string): { rdev: number[]; dev: number[] } {
  const [rM, rm, dM, dm] = execFileSync('stat', ['-c', '%Hr %Lr %Hd %Ld', path], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return { rdev: [rM!, rm!], dev: [dM!, dm!] };
}

describe('major / minor / makedev', () => {
  it('split st_rdev and st_dev as stat(1) does, and makedev puts them back', async () => {
    for (const p of ['/dev/null', '/dev/zero', '/dev/fuse', '/', '/proc/self']) {
      const st = await aio.lstat(p);
      const k = kernel(p);
      expect([aio.major(st.rdev), aio.minor(st.rdev)]).toEqual(k.rdev);
      expect([aio.major(st.dev), aio.minor(st.dev)]).toEqual(k.dev);
      expect(aio.makedev(aio.major(st.dev), aio.minor(st.dev))).toBe(st.dev);
    }
  });

  it.skipIf(process.getuid!() !== 0)('numbers past the old 8:8 layout (the kernel keeps 12:20 bits): a node made with makedev reads back the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioaio-devno-'));
    try {
      for (const [M, m] of [[4095, 1048575], [300, 4096], [259, 70000], [1, 3]] as const) {
        const p = join(dir, `n${M}-${m}`);
        await aio.mknod(p, 0o20600, aio.makedev(M, m));
        expect(kernel(p).rdev).toEqual([M, m]);
        expect([aio.major(statSync(p).rdev), aio.minor(statSync(p).rdev)]).toEqual([M, m]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects what is not a dev_t', () => {
    expect(() => aio.major(-1)).toThrow(TypeError);
    expect(() => aio.minor(1.5)).toThrow(TypeError);
    expect(() => aio.makedev(2 ** 32, 0)).toThrow(TypeError);
    expect(() => aio.makedev(2 ** 22, 0)).toThrow(TypeError); // its dev_t is past 2^53
  });
});
