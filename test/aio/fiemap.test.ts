// aio.fiemap against filefrag -v (the same FS_IOC_FIEMAP, read by e2fsprogs)
// on a sparse file: the same extents, logical and physical offsets and
// lengths; and IO::AIO's special counts.
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio, type Extent } from '../../src/aio/index.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ioaio-fiemap-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** filefrag -v's extents, in bytes: [logical, physical, length]. */
function filefrag(path: string): { block: number; extents: [number, number, number][] } {
  const out = execFileSync('filefrag', ['-v', path], { encoding: 'utf8' });
  const block = Number(/\(\d+ blocks? of (\d+) bytes\)/.exec(out)?.[1]);
  const extents: [number, number, number][] = [];
  for (const m of out.matchAll(/^\s*\d+:\s+(\d+)\.\.\s*\d+:\s+(\d+)\.\.\s*\d+:\s+(\d+):/gm)) {
    extents.push([Number(m[1]) * block, Number(m[2]) * block, Number(m[3]) * block]);
  }
  return { block, extents };
}

describe('fiemap', () => {
  it('gives a sparse file the extents filefrag -v reports', async () => {
    const path = join(dir, 'sparse');
    const fd = openSync(path, 'w+');
    try {
      const block = Buffer.alloc(8192, 0x61);
      writeSync(fd, block, 0, block.length, 0);
      writeSync(fd, block, 0, block.length, 1 << 20); // a hole between
      writeSync(fd, block, 0, 4096, 3 << 20);
      fsyncSync(fd);
      let ours: Extent[];
      try {
        ours = (await aio.fiemap(fd, 0, null, aio.FIEMAP_FLAG_SYNC)) as Extent[];
      } catch (e) {
        // a filesystem without FIEMAP (tmpfs): its refusal, and nothing to compare
        expect((e as { code: string }).code).toMatch(/^(EOPNOTSUPP|ENOTSUP)$/);
        return void console.warn(`skipped: no FIEMAP on ${dir}'s filesystem`);
      }
      const theirs = filefrag(path);
      if (theirs.extents.length === 0) return void console.warn('skipped: filefrag shows no extents here (no FIEMAP on this filesystem)');
      // filefrag merges nothing and splits nothing: the same list
      expect(ours.map((e) => [e.logical, e.physical, e.length])).toEqual(theirs.extents);
      expect(ours.length).toBeGreaterThanOrEqual(3); // the holes keep them apart
      expect(ours[ours.length - 1]!.flags & aio.FIEMAP_EXTENT_LAST).toBe(aio.FIEMAP_EXTENT_LAST);
      expect(ours[0]!.logical).toBe(0);
      expect(ours.some((e) => e.logical === 1 << 20)).toBe(true);

      // IO::AIO's count 0: the number alone; a count caps the list
      expect(await aio.fiemap(fd, 0, null, 0, 0)).toBe(ours.length);
      expect(((await aio.fiemap(fd, 0, null, 0, 1)) as Extent[]).map((e) => e.logical)).toEqual([0]);
      // a range: only what overlaps it
      const mid = (await aio.fiemap(fd, 1 << 20, 4096)) as Extent[];
      expect(mid.map((e) => e.logical)).toEqual([1 << 20]);
    } finally {
      closeSync(fd);
    }
  });

  it('fails with the kernel\'s reason on what has no extents to map', async () => {
    const fd = openSync('/proc/self/status', 'r');
    try {
      await expect(aio.fiemap(fd, 0)).rejects.toMatchObject({ syscall: 'fiemap', code: expect.stringMatching(/^(EOPNOTSUPP|ENOTSUP|ENOTTY|EINVAL)$/) });
    } finally {
      closeSync(fd);
    }
  });
});
