// A copy created with its final mode and owner skips fchown and fchmod
// (copyfile.c's struct cf_dir). These check that the skip never costs the
// copy its exact mode or owner: under any umask, for set-id modes, for files
// of another owner, and under a directory whose default ACL (not the umask)
// decides a new file's mode.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPTREE } from '../../helpers/cptree.js';
import { fastTmp } from '../../helpers/scan-tree.js';
import { removeTree } from '../../helpers/tree.js';

const MODES = [0o644, 0o600, 0o666, 0o755, 0o777, 0o640, 0o4755, 0o2755, 0o1777, 0o444, 0o000];
const isRoot = process.getuid?.() === 0;
let base: string;
let src: string;

beforeAll(() => {
  base = fastTmp('ioaio-born-');
  src = join(base, 'src');
  mkdirSync(src);
  for (const m of MODES) {
    const f = join(src, `m${m.toString(8)}`);
    writeFileSync(f, `mode ${m.toString(8)}\n`);
    chmodSync(f, m);
  }
  if (isRoot) {
    writeFileSync(join(src, 'theirs'), 'x');
    chownSync(join(src, 'theirs'), 1234, 4321);
    writeFileSync(join(src, 'our-uid-their-gid'), 'x');
    chownSync(join(src, 'our-uid-their-gid'), 0, 4321);
  }
});
afterAll(() => removeTree(base));

/** cptree under `umask`, by a shell so the child starts with it. */
function cptreeUnder(umask: string, from: string, to: string) {
  const r = spawnSync('sh', ['-c', `umask ${umask}; exec "$@"`, 'sh', process.execPath, CPTREE, from, to], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

function expectSame(from: string, to: string) {
  for (const name of readdirSync(from)) {
    const a = lstatSync(join(from, name));
    const b = lstatSync(join(to, name));
    expect({ name, mode: (b.mode & 0o7777).toString(8), uid: b.uid, gid: b.gid }).toEqual({ name, mode: (a.mode & 0o7777).toString(8), uid: a.uid, gid: a.gid });
  }
}

describe('cptree: modes and owners exact however the files are born', () => {
  for (const umask of ['022', '077', '000', '777']) {
    it(`under umask ${umask}`, () => {
      const dst = join(base, `u${umask}`);
      cptreeUnder(umask, src, dst);
      expectSame(src, dst);
    });
  }

  it('under a default ACL that would give new files another mode than the umask', () => {
    const parent = join(base, 'acl');
    mkdirSync(parent);
    // system.posix_acl_default, version 2: user::rwx group::--- other::---
    const acl = Buffer.alloc(4 + 3 * 8);
    acl.writeUInt32LE(2, 0);
    [[0x01, 7], [0x04, 0], [0x20, 0]].forEach(([tag, perm], i) => {
      acl.writeUInt16LE(tag!, 4 + i * 8);
      acl.writeUInt16LE(perm!, 6 + i * 8);
      acl.writeUInt32LE(0xffffffff, 8 + i * 8);
    });
    const set = spawnSync('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], "system.posix_acl_default", bytes.fromhex(sys.argv[2]))', parent, acl.toString('hex')], { encoding: 'utf8' });
    if (set.status !== 0) return void console.warn(`skipped: no default ACL here (${set.stderr.trim().split('\n').pop()})`);
    // the check itself: a file made there now gets 0600 from its 0644
    writeFileSync(join(parent, 'probe'), '', { mode: 0o644 });
    expect(lstatSync(join(parent, 'probe')).mode & 0o777).toBe(0o600);
    const dst = join(parent, 'copy');
    cptreeUnder('022', src, dst);
    expectSame(src, dst);
  });
});

describe('cptree: a file being written is never writable by group or others', () => {
  it('a 0666 source\'s temporary is created without those write bits (strace shows the openat mode)', () => {
    const src2 = join(base, 'ww');
    mkdirSync(src2);
    for (let i = 0; i < 10; i++) {
      writeFileSync(join(src2, `f${i}`), 'x');
      chmodSync(join(src2, `f${i}`), 0o666);
    }
    const dst = join(base, 'ww-copy');
    const trace = join(base, 'ww.strace');
    const r = spawnSync('strace', ['-f', '-e', 'trace=openat', '-o', trace, process.execPath, CPTREE, src2, dst], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) return void console.warn(`skipped: no strace (${r.error.message})`);
    expect(r.status).toBe(0);
    const creates = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('.ioaio-cp.') && l.includes('O_CREAT'));
    expect(creates.length).toBe(10);
    for (const l of creates) expect(l).toMatch(/, 0(600|644)\)/);
    expectSame(src2, dst); // and the copies end 0666
  });
});
