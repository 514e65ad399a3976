// The mmap family against the file and the kernel: a shared mapping's
// writes reach the file (msync), a file's bytes appear in the Buffer, munmap
// leaves a Buffer that reads zeros instead of faulting, mincore-like
// residency via mtouch, madvise and mprotect's errors and effects.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ioaio-mmap-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = 4096;

describe('mmap family', () => {
  it('a shared file mapping reads the file and its writes reach it (msync), with no copy between', async () => {
    const path = join(dir, 'shared');
    writeFileSync(path, Buffer.alloc(2 * PAGE, 0x2e));
    writeFileSync(path, 'hello', { flag: 'r+' });
    const fd = openSync(path, 'r+');
    let m: Buffer;
    try {
      m = aio.mmap(2 * PAGE, aio.PROT_READ | aio.PROT_WRITE, aio.MAP_SHARED, fd, 0);
    } finally {
      closeSync(fd); // a mapping outlives its fd
    }
    expect(m.length).toBe(2 * PAGE);
    expect(m.subarray(0, 5).toString()).toBe('hello');
    m.write('world', PAGE);
    await aio.msync(m, PAGE, 5, aio.MS_SYNC);
    expect(readFileSync(path).subarray(PAGE, PAGE + 5).toString()).toBe('world');
    // and the other way: the file's change shows in the Buffer (same pages)
    writeFileSync(path, 'HELLO', { flag: 'r+' });
    expect(m.subarray(0, 5).toString()).toBe('HELLO');
    await aio.mtouch(m, 0, null, aio.MT_MODIFY);
    aio.munmap(m);
    // the Buffer now views anonymous zero pages, not the file, and does not fault
    expect(m[0]).toBe(0);
    m[0] = 1;
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('HELLO');
    expect(() => aio.munmap(m)).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'munmap' }));
  });

  it('anonymous private memory; madvise and mprotect as the kernel answers them', () => {
    const m = aio.mmap(4 * PAGE, aio.PROT_READ | aio.PROT_WRITE, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS);
    m.fill(7);
    aio.madvise(m, 0, PAGE, aio.MADV_DONTNEED); // private anonymous: the page comes back as zeros
    expect(m[0]).toBe(0);
    expect(m[PAGE]).toBe(7);
    expect(() => aio.madvise(m, 1, PAGE, aio.MADV_WILLNEED)).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'madvise' }));
    aio.mprotect(m, 0, PAGE, aio.PROT_READ);
    const maps = readFileSync('/proc/self/maps', 'utf8');
    // the first page is now its own read-only area
    expect(maps).toMatch(/ r--p 00000000 00:00 0/);
    aio.mprotect(m, 0, PAGE, aio.PROT_READ | aio.PROT_WRITE);
    m[0] = 9;
    expect(m[0]).toBe(9);
    aio.munmap(m);
  });

  it('a write to a PROT_READ page kills the process, as in C (checked in a child)', () => {
    const src = new URL('../../dist/src/aio/index.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { aio } from ${JSON.stringify(src)}; const m = aio.mmap(4096, aio.PROT_READ, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS); console.log('mapped', m[0]); m[0] = 1; console.log('survived');`], { encoding: 'utf8' });
    if (r.stderr.includes('Cannot find module') || r.stderr.includes('ERR_MODULE_NOT_FOUND')) return void console.warn('skipped: dist/ not built');
    expect(r.stdout).toContain('mapped 0');
    expect(r.stdout).not.toContain('survived');
    expect(r.signal).toBe('SIGSEGV');
  });

  it('a mapping whose Buffer is collected is unmapped for real, munmap\'d or not (checked in a child with --expose-gc)', () => {
    const src = new URL('../../dist/src/aio/index.js', import.meta.url).pathname;
    const prog = `import { aio } from ${JSON.stringify(src)};
      import { readFileSync } from 'node:fs';
      const vm = () => Number(/VmSize:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
      aio.munmap(aio.mmap(4096, aio.PROT_READ, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS)); // loads the native side first
      const before = vm();
      // in a function: a module's top level may keep its last value alive
      const make = () => { for (let i = 0; i < 32; i++) { const m = aio.mmap(64 << 20, aio.PROT_READ, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS); if (i % 2) aio.munmap(m); } };
      make();
      const mapped = vm();
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log(JSON.stringify({ grew: mapped - before, left: vm() - before }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', prog], { encoding: 'utf8' });
    if (r.stderr.includes('ERR_MODULE_NOT_FOUND')) return void console.warn('skipped: dist/ not built');
    const { grew, left } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { grew: number; left: number };
    expect(grew).toBeGreaterThanOrEqual(32 * 64 * 1024); // 2 GiB of address space, in kB
    expect(left).toBeLessThan(64 * 1024); // all given back (a 64 MiB mapping left would show)
  });

  it('mremap: shrinks and grows a file mapping in place, moves private anonymous memory by copying, never over a hole', () => {
    const path = join(dir, 'remap');
    writeFileSync(path, Buffer.alloc(4 * PAGE, 0x41));
    const fd = openSync(path, 'r+');
    let m: Buffer;
    try {
      m = aio.mmap(2 * PAGE, aio.PROT_READ | aio.PROT_WRITE, aio.MAP_SHARED, fd, 0);
    } finally {
      closeSync(fd);
    }
    const small = aio.mremap(m, PAGE, 0);
    expect(small.length).toBe(PAGE);
    expect(small[0]).toBe(0x41);
    expect(m[PAGE]).toBe(0); // the old Buffer's tail is covered, not a hole
    try {
      const big = aio.mremap(small, 3 * PAGE, 0);
      // grown in place: the same memory, the file's bytes
      expect(big[3 * PAGE - 1]).toBe(0x41);
      expect(m[0]).toBe(0x41);
    } catch (e) {
      // the tail's cover sits where it would grow: the kernel's ENOMEM, no move for a file mapping
      expect((e as { code: string }).code).toBe('ENOMEM');
      expect(() => aio.mremap(small, 3 * PAGE)).toThrow(expect.objectContaining({ code: 'ENOMEM', syscall: 'mremap' }));
    }
    aio.munmap(m);

    // anonymous: grows (in place or moved), contents kept; an old Buffer left behind reads zeros
    const a = aio.mmap(PAGE, aio.PROT_READ | aio.PROT_WRITE, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS);
    a.fill(5);
    const blocker = aio.mmap(PAGE, aio.PROT_READ, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS); // may sit right after it
    const grown = aio.mremap(a, 64 * PAGE);
    expect(grown.length).toBe(64 * PAGE);
    expect(grown[PAGE - 1]).toBe(5);
    expect(grown[PAGE]).toBe(0);
    expect(a[0] === 5 || a[0] === 0).toBe(true); // 5 where it stayed, 0 where it moved
    aio.munmap(grown);
    aio.munmap(blocker);
  });

  it('refuses what is not a mapping of ours, and a bad length, with the reason', () => {
    expect(() => aio.munmap(Buffer.alloc(10))).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => aio.mmap(0, aio.PROT_READ, aio.MAP_PRIVATE | aio.MAP_ANONYMOUS)).toThrow(/length/);
    expect(() => aio.mmap(PAGE, aio.PROT_READ, aio.MAP_SHARED, 12345)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'mmap' }));
  });
});
