// cptree under failure: unreadable files, a full filesystem, kill -9 and
// Ctrl-C. Whatever happens, no final name ever holds a partial copy.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cptree, midCopy, tempsIn, treeDiff, type MidCopyResult } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';
import { ensureBuilt } from '../../helpers/treescan.js';

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

let big: string;
let work: string;

/** Big files (slow enough to be caught mid-copy) and many small ones. */
function makeBig(root: string): void {
  execFileSync('sh', ['-c', 'for i in 1 2 3 4; do head -c 32M /dev/urandom > big$i; done; mkdir small; for i in $(seq 1 300); do echo $i > small/f$i; done'], { cwd: root });
}

/** Every regular file under dst that has its final name is complete. */
function noPartialFiles(src: string, dst: string): number {
  let n = 0;
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dst, rel))) {
      const r = join(rel, name);
      const st = lstatSync(join(dst, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile() && !name.startsWith('.ioaio-cp.')) {
        expect(readFileSync(join(dst, r)).equals(readFileSync(join(src, r))), r).toBe(true);
        n++;
      }
    }
  };
  if (existsSync(dst)) walk('');
  return n;
}

/** Starts cptree and, once a temporary shows in dst (a copy in flight), sends sig. */
function interruptMidCopy(args: string[], dst: string, sig: NodeJS.Signals): Promise<MidCopyResult> {
  return midCopy(args, dst, (child) => child.kill(sig));
}

beforeAll(() => {
  ensureBuilt();
  big = fastTmp('ioaio-cpbig-');
  makeBig(big);
  work = fastTmp('ioaio-cperr-');
});
afterAll(() => {
  removeTree(big);
  removeTree(work);
});

describe('cptree errors', () => {
  it.skipIf(isRoot && !hasSetpriv)('an unreadable file is reported (cptree: SRC/x: open: reason), the rest is copied, exit 1', () => {
    const src = fastTmp('ioaio-cpperm-');
    const out = fastTmp('ioaio-cpperm-out-');
    try {
      mkdirSync(join(src, 'sub'));
      writeFileSync(join(src, 'sub/secret'), 'no');
      writeFileSync(join(src, 'sub/open'), 'yes');
      writeFileSync(join(src, 'top'), 'top');
      chmodSync(join(src, 'sub/secret'), 0);
      if (isRoot) chownSync(out, 65534, 65534);
      const r = cptree([src, join(out, 'copy')], { asNobody: isRoot });
      expect(r.stderr).toBe(`cptree: ${src}/sub/secret: open: permission denied\n`);
      expect(r.status).toBe(1);
      expect(readFileSync(join(out, 'copy/sub/open'), 'utf8')).toBe('yes');
      expect(readFileSync(join(out, 'copy/top'), 'utf8')).toBe('top');
      expect(existsSync(join(out, 'copy/sub/secret'))).toBe(false);
      expect(tempsIn(join(out, 'copy'))).toEqual([]);
      const j = cptree(['--json', src, join(out, 'json')], { asNobody: isRoot });
      const errors = j.stdout.toString().split('\n').filter((l) => l.includes('"error"')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(errors).toEqual([{ event: 'error', path: `${src}/sub/secret`, error: 'permission denied', code: 'EACCES', syscall: 'open' }]);
    } finally {
      removeTree(src);
      removeTree(out);
    }
  });

  it.skipIf(!isRoot)('ENOSPC on a small tmpfs stops new work, leaves no partial file under a final name and no temporary, exit 1', () => {
    const mnt = fastTmp('ioaio-cpfull-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    try {
      const src = join(work, 'fill');
      mkdirSync(src);
      execFileSync('sh', ['-c', 'for i in $(seq 1 12); do head -c 1M /dev/urandom > m$i; done; mkdir s; for i in $(seq 1 100); do echo $i > s/f$i; done'], { cwd: src });
      const dst = join(mnt, 'copy');
      const r = cptree(['-j', '2', src, dst]);
      expect(r.status).toBe(1);
      // the line names the side that failed, the destination, and the call
      const first = r.stderr.split('\n')[0]!;
      expect(first.startsWith(`cptree: ${dst}/`), first).toBe(true);
      expect(first).toMatch(/: (write|create|setxattr|rename): no space left on device$/);
      expect(r.stderr).toContain(`cptree: ${dst}: no space left on device: stopped\n`);
      expect(noPartialFiles(src, dst)).toBeGreaterThan(0);
      expect(tempsIn(dst)).toEqual([]);
    } finally {
      execFileSync('umount', [mnt]);
      removeTree(mnt);
    }
  });

  it('kill -9 mid-copy, then -u -T: the result is the exact copy, with no temporaries left', async () => {
    const dst = join(work, 'killed');
    const r = await interruptMidCopy(['-j', '1', '--max-outstanding', '1', big, dst], dst, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    noPartialFiles(big, dst);
    const again = cptree(['-u', '-T', '--summary', big, dst]);
    expect(again.stderr).toMatch(/^cptree: \d+ files .* 0 errors/);
    expect(again.status).toBe(0);
    expect(treeDiff(big, dst)).toEqual([]);
    expect(tempsIn(dst)).toEqual([]);
    // A temporary was caught in flight (else the kill came too late to test much).
    expect(r.sawTemp).toBe(true);
  });

  it('Ctrl-C (SIGINT) stops cleanly: a summary, exit 130, no temporaries, no partial files', async () => {
    const dst = join(work, 'interrupted');
    const r = await interruptMidCopy(['-j', '1', '--max-outstanding', '1', big, dst], dst, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^cptree: \d+ files .*, interrupted\n$/);
    noPartialFiles(big, dst);
    expect(tempsIn(dst)).toEqual([]);
  });
});
