// `ioaio CMD ...`, links named after a command, and ioaio's own usage errors.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/child.js';
import { ROOT, runBin } from '../helpers/cli.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const tree = makeTree({ a: 'x', d: { b: 'y' } });
const links = mkdtempSync(join(tmpdir(), 'ioaio-links-'));

beforeAll(() => {
  ensureDist();
  symlinkSync(join(ROOT, 'bin/ioaio'), join(links, 'treescan'));
  symlinkSync(join(ROOT, 'bin/ioaio'), join(links, 'pstat'));
  symlinkSync(join(ROOT, 'bin/ioaio'), join(links, 'something-else'));
});
afterAll(() => {
  removeTree(tree);
  removeTree(links);
});

const sorted = (s: string) => s.split('\n').filter(Boolean).sort();

describe('ioaio', () => {
  it('ioaio treescan and pstat run the commands', () => {
    const direct = runBin('treescan', ['--sort', tree]);
    const via = runBin('ioaio', ['treescan', '--sort', tree]);
    expect(direct.status).toBe(0);
    expect(via.stdout).toBe(direct.stdout);
    expect(sorted(via.stdout)).toEqual([`${tree}/`, `${tree}/a`, `${tree}/d/`, `${tree}/d/b`].sort());
    const st = runBin('ioaio', ['pstat', '-c', '%s %n', join(tree, 'a'), join(tree, 'd/b')]);
    expect(st.stdout).toBe(`1 ${tree}/a\n1 ${tree}/d/b\n`);
  });

  it('a link named treescan (or pstat) to bin/ioaio is that command', () => {
    const t = runBin(join(links, 'treescan'), ['--sort', tree]);
    expect(t.status).toBe(0);
    expect(t.stdout).toBe(runBin('treescan', ['--sort', tree]).stdout);
    const p = runBin(join(links, 'pstat'), ['-c', '%n'], { input: `${tree}/a\n` });
    expect(p.stdout).toBe(`${tree}/a\n`);
    const bad = runBin(join(links, 'treescan'), ['--no-such-option']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^treescan: unknown option '--no-such-option'\nTry 'treescan --help'/);
  });

  it('under any other name it is ioaio', () => {
    const r = runBin(join(links, 'something-else'), ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ioaio <command>/);
  });

  it('--help lists every command and completion', () => {
    const r = runBin('ioaio', ['--help']);
    expect(r.status).toBe(0);
    for (const c of ['treescan', 'pstat', 'cptree', 'rmtree', 'mvtree', 'completion']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('a missing or unknown command is a usage error (exit 2)', () => {
    const none = runBin('ioaio', []);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe("ioaio: missing command (treescan, pstat, cptree, rmtree, mvtree, completion, summary-merge)\nTry 'ioaio --help'.\n");
    const unknown = runBin('ioaio', ['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("ioaio: unknown command 'frobnicate'\nTry 'ioaio --help'.\n");
    const shell = runBin('ioaio', ['completion', 'tcsh']);
    expect(shell.status).toBe(2);
    expect(shell.stderr).toMatch(/^ioaio completion: .*'tcsh' is invalid.*bash, zsh, fish/);
  });
});
