// Real temporary trees for tests (house rule 9).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A spec: file contents (string/Buffer), a nested spec for a directory,
 *  or { symlink: target }. */
export type TreeSpec = { [name: string]: string | Buffer | TreeSpec | { symlink: string } };

export function makeTree(spec: TreeSpec, root = mkdtempSync(join(tmpdir(), 'ioaio-test-'))): string {
  for (const [name, v] of Object.entries(spec)) {
    const p = join(root, name);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof v === 'string' || Buffer.isBuffer(v)) writeFileSync(p, v);
    else if ('symlink' in v && typeof v.symlink === 'string') symlinkSync(v.symlink, p);
    else {
      mkdirSync(p, { recursive: true });
      makeTree(v as TreeSpec, p);
    }
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
