// koffi-loader's direct load of the prebuilt koffi.node, and its fallback to
// koffi's own entry point.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKoffi } from '../../src/aio/native/koffi-loader.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const viaKoffi = require('koffi') as typeof import('koffi') & { version: string };

describe('loadKoffi', () => {
  it('loads the prebuilt binary from the package root, the same object koffi wraps', () => {
    const k = loadKoffi(require, root) as typeof viaKoffi;
    expect(k.version).toBe(viaKoffi.version);
    expect(k).not.toBe(viaKoffi);
    const getpid = k.load('libc.so.6').func('int getpid(void)') as () => number;
    expect(getpid()).toBe(process.pid);
  });

  it("falls back to require('koffi') without a root or where the binary is not found", () => {
    expect(loadKoffi(require, null)).toBe(viaKoffi);
    expect(loadKoffi(require, '/nonexistent/ioaio')).toBe(viaKoffi);
  });
});
