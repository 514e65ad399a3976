// cptree on a source that changes under it: entries removed between their
// listing and their copy (rsync's "file has vanished"), and a file written
// while it is copied. Whatever happens, each copy is a whole version of its
// file, or absent, and the run says which.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cptree, midCopy, tempsIn } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { ensureBuilt } from '../../helpers/treescan.js';

let work: string;

beforeAll(() => {
  ensureBuilt();
  work = fastTmp('ioaio-cpchg-');
});
afterAll(() => removeTree(work));

const MB = 1 << 20;

describe('cptree on a changing source', () => {
  it('entries removed during the copy are reported as vanished (exit 24); what was copied is whole', async () => {
    const src = join(work, 'vsrc');
    const dst = join(work, 'vdst');
    mkdirSync(join(src, 'sub'), { recursive: true });
    // big enough that one copy is still in flight when the rest is removed
    const content = (i: number) => Buffer.alloc(48 * MB, 0x41 + i);
    for (let i = 0; i < 4; i++) writeFileSync(join(src, `f${i}`), content(i));
    writeFileSync(join(src, 'sub/inner'), 'inner');

    const r = await midCopy(['-j', '1', '--max-outstanding', '1', '--json', src, dst], dst, () => {
      // the copy in flight holds its file open: it ends whole; the others go
      for (const n of readdirSync(src)) rmSync(join(src, n), { recursive: true });
    });
    expect(r.sawTemp).toBe(true);
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; path?: string; vanished?: number; errors?: number });
    const vanished = events.filter((e) => e.event === 'vanished').map((e) => e.path!);
    const summary = events.find((e) => e.event === 'summary')!;
    expect(vanished.length).toBeGreaterThan(0);
    expect(vanished).toContain(join(src, 'sub'));
    expect(summary).toMatchObject({ errors: 0, vanished: vanished.length });
    for (const p of vanished) expect(r.stderr).toContain(`cptree: ${p}: vanished from the source before it was copied\n`);
    expect(r.code).toBe(24);

    const copied = readdirSync(dst);
    // every file is either copied whole or reported as vanished
    for (let i = 0; i < 4; i++) {
      const name = `f${i}`;
      if (copied.includes(name)) expect(readFileSync(join(dst, name)).equals(content(i)), name).toBe(true);
      else expect(vanished).toContain(join(src, name));
    }
    expect(copied.filter((n) => n.startsWith('f')).length).toBeGreaterThan(0);
    expect(tempsIn(dst)).toEqual([]);
    // the copy finished: no marker is left to make a later run resume
    expect(readdirSync(work).filter((n) => n.includes('ioaio'))).toEqual([]);
  });

  // Each change below lands while f's copy is in flight (its temporary is
  // there, so the copy's first look at f is past) and is f's last: the copy
  // sees that f changed, makes it again, and ends as f is now.
  const big = 256 * MB;
  const changes: [string, (fd: number) => void][] = [
    ['overwritten in place', (fd) => writeSync(fd, Buffer.alloc(64 << 10, 0xee), 0, 64 << 10, 0)],
    ['grown', (fd) => writeSync(fd, Buffer.alloc(MB, 0xdd), 0, MB, big)],
    ['shrunk', (fd) => ftruncateSync(fd, big / 4)],
  ];
  for (const [what, change] of changes) {
    it(`a file ${what} while it is copied is copied again: the copy is what it is now`, async () => {
      const src = join(work, 'chg');
      const dst = join(work, 'chg-copy');
      mkdirSync(src);
      try {
        writeFileSync(join(src, 'f'), Buffer.alloc(big, 0x11));
        writeFileSync(join(src, 'still'), 'still');
        let inFlight = false;
        const r = await midCopy([src, dst], dst, () => {
          const fd = openSync(join(src, 'f'), 'r+');
          change(fd);
          closeSync(fd);
          inFlight = tempsIn(dst, true).length > 0;
        });
        expect(r.sawTemp && inFlight, 'the change landed while the copy was in flight').toBe(true);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(readFileSync(join(dst, 'f')).equals(readFileSync(join(src, 'f')))).toBe(true);
        // and its metadata is the changed file's, not what the first look saw
        const [a, b] = [statSync(join(src, 'f'), { bigint: true }), statSync(join(dst, 'f'), { bigint: true })];
        expect([b.size, b.mtimeNs]).toEqual([a.size, a.mtimeNs]);
        expect(readFileSync(join(dst, 'still'), 'utf8')).toBe('still');
        expect(tempsIn(dst)).toEqual([]);
      } finally {
        removeTree(src);
        removeTree(dst);
      }
    });
  }

  it('a file that keeps changing is not copied, and the run says so (exit 1)', async () => {
    const src = join(work, 'busy');
    const dst = join(work, 'busy-copy');
    mkdirSync(src);
    writeFileSync(join(src, 'f'), Buffer.alloc(big, 0x22));
    writeFileSync(join(src, 'still'), 'still');
    // a writer that never stops: a few bytes at the start every 2 ms
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); const fd = fs.openSync('f', 'r+'); let v = 0; setInterval(() => fs.writeSync(fd, String(v++), 0), 2);`], { cwd: src, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const r = cptree([src, dst]);
      expect(r.stderr).toBe(`cptree: ${join(src, 'f')}: changed while it was copied, 3 times: not copied\n`);
      expect(r.status).toBe(1);
      expect(existsSync(join(dst, 'f'))).toBe(false);
      expect(readFileSync(join(dst, 'still'), 'utf8')).toBe('still');
      expect(tempsIn(dst)).toEqual([]);
    } finally {
      writer.kill('SIGKILL');
      removeTree(src);
      removeTree(dst);
    }
  });
});
