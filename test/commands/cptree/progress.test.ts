// The copy progress figures and plain line (the views only draw them).
import { describe, expect, it } from 'vitest';
import { newCopyCounters } from '../../../src/copy/index.js';
import { bytes, copyFigures, copyProgressLine } from '../../../src/ui/copy-figures.js';

describe('copy progress', () => {
  it('formats bytes in SI units', () => {
    expect(bytes(999)).toBe('999 B');
    expect(bytes(1500)).toBe('1.50 kB');
    expect(bytes(64 * 1024 * 1024)).toBe('67.1 MB');
  });

  it('has no ETA until the pre-count is done, then takes the larger of the file and byte fractions', () => {
    const c = newCopyCounters();
    c.files = 50;
    c.bytes = 1e6;
    const src = { tool: 'cptree', counters: c, started: 0, threads: () => '8 threads' };
    expect(copyFigures(src, 10_000).eta).toBe('counting…');
    c.totalFiles = 100;
    c.totalBytes = 4e6;
    const f = copyFigures(src, 10_000);
    expect(f.files).toBe('50/100');
    expect(f.bytes).toBe('1.00 MB/4.00 MB');
    expect(f.eta).toBe('10.0 s'); // half the files in 10 s
    c.current = { dir: { rel: Buffer.from('a/b/') }, name: Buffer.from('c.txt') };
    expect(copyFigures(src, 10_000).current).toBe('a/b/c.txt');
    expect(copyProgressLine(src, 10_000)).toBe('cptree: 50/100 entries, 1.00 MB/4.00 MB, 100 kB/s, ETA 10.0 s, 0 in flight, 0 errors, 10.0 s');
  });
});
