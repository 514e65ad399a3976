// mlock / munlock / mlockall / munlockall against the kernel's own count of
// locked memory (VmLck in /proc/self/status).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aio, IoaioError } from '../../src/aio/index.js';

const vmLckKb = () => Number(/^VmLck:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

describe('mlock family', () => {
  it('mlock locks a Buffer\'s pages (as VmLck counts them) and munlock lets them go', async () => {
    const before = vmLckKb();
    const buf = Buffer.alloc(4 << 20, 1);
    try {
      await aio.mlock(buf);
    } catch (e) {
      // no CAP_IPC_LOCK and a small RLIMIT_MEMLOCK: the kernel's refusal
      expect(e).toBeInstanceOf(IoaioError);
      expect(['ENOMEM', 'EPERM', 'EAGAIN']).toContain((e as IoaioError).code);
      return;
    }
    expect(vmLckKb() - before).toBeGreaterThanOrEqual(4096);
    expect(vmLckKb() - before).toBeLessThanOrEqual(4096 + 8); // widened to pages, no more
    aio.munlock(buf, 0, 2 << 20);
    expect(vmLckKb() - before).toBeLessThanOrEqual(2048 + 8);
    aio.munlock(buf);
    expect(vmLckKb()).toBe(before);
  });

  it('mlockall(MCL_CURRENT | MCL_ONFAULT) locks what is resident, munlockall all of it', async () => {
    try {
      await aio.mlockall(aio.MCL_CURRENT | aio.MCL_ONFAULT);
    } catch (e) {
      expect(['ENOMEM', 'EPERM', 'EAGAIN']).toContain((e as IoaioError).code);
      return;
    }
    try {
      expect(vmLckKb()).toBeGreaterThan(1024);
    } finally {
      aio.munlockall();
    }
    expect(vmLckKb()).toBe(0);
  });

  it('refuses a range outside the buffer and flags outside MCL_*, before submitting', () => {
    expect(() => aio.mlock(Buffer.alloc(10), 5, 10)).toThrow(/length/);
    expect(() => aio.mlockall(0)).toThrow(/flags/);
    expect(() => aio.munlock('x' as unknown as Buffer)).toThrow(TypeError);
  });
});
