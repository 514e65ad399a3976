// The completion scripts, run in the real shells: what TAB offers after
// `ioaio completion SHELL` is loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/child.js';
import { ROOT, runBin } from '../helpers/cli.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const dir = mkdtempSync(join(tmpdir(), 'ioaio-completion-'));
const files = makeTree({ 'paths.txt': '', 'paths.tsv': '' });
const script = (shell: string) => join(dir, `ioaio.${shell}`);

beforeAll(() => {
  ensureDist();
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = runBin('ioaio', ['completion', shell]);
    expect(r.status).toBe(0);
    writeFileSync(script(shell), r.stdout);
  }
});
afterAll(() => {
  removeTree(dir);
  removeTree(files);
});

describe('bash', () => {
  // Calls the completion function as bash would for the words given; the last word is the one completed.
  const complete = (...words: string[]) => {
    const sh = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _ioaio; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', sh, 'bash', script('bash'), ...words], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).sort();
  };

  it('completes commands, options, choices and file arguments', () => {
    expect(complete('ioaio', '')).toEqual(['--help', '--licenses', '--version', '-V', '-h', 'completion', 'cptree', 'mvtree', 'pstat', 'rmtree', 'summary-merge', 'treescan']);
    expect(complete('ioaio', 'treescan', '--prog')).toEqual(['--progress']);
    expect(complete('treescan', '--progress', 'a')).toEqual(['always', 'auto']);
    expect(complete('/usr/local/bin/pstat', '--summ')).toEqual(['--summary', '--summary-json']);
    expect(complete('ioaio', 'pstat', '--from', `${files}/paths.t`)).toEqual([`${files}/paths.tsv`, `${files}/paths.txt`]);
    expect(complete('ioaio', 'completion', '')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('treescan', '--jobs', '')).toEqual([]);
  });

  it('registers ioaio and every command', () => {
    const r = spawnSync('bash', ['-c', 'source "$1"; complete -p ioaio treescan pstat', 'bash', script('bash')], { encoding: 'utf8' });
    expect(r.stdout).toBe('complete -F _ioaio ioaio\ncomplete -F _ioaio treescan\ncomplete -F _ioaio pstat\n');
  });
});

describe('fish', () => {
  const complete = (line: string) => {
    const r = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script('fish'), line], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort();
  };

  it('completes commands, options, choices and file arguments', () => {
    expect(complete('ioaio ')).toEqual(['completion', 'cptree', 'mvtree', 'pstat', 'rmtree', 'summary-merge', 'treescan']);
    expect(complete('treescan --prog')).toEqual(['--progress']);
    expect(complete('ioaio treescan --progress=a')).toEqual(['--progress=always', '--progress=auto']);
    expect(complete('ioaio completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete(`pstat --from ${files}/paths.t`)).toEqual([`${files}/paths.tsv`, `${files}/paths.txt`]);
  });
});

describe('zsh', () => {
  it('completes in an interactive zsh (compinit, then the script sourced)', () => {
    const lines = ['treescan --prog', 'ioaio tree', 'ioaio completion z', 'ioaio treescan --progress al', 'pstat --summary-j', `ioaio pstat --from ${files}/paths.tx`, 'treescan -V '];
    const r = spawnSync('zsh', ['-f', join(ROOT, 'test/helpers/zsh-complete.zsh'), script('zsh'), ...lines], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual([
      'treescan --progress',
      'ioaio treescan',
      'ioaio completion zsh',
      'ioaio treescan --progress always',
      'pstat --summary-json',
      `ioaio pstat --from ${files}/paths.txt`,
      // -V ends the command: nothing more is offered after it.
      'treescan -V',
    ]);
  }, 40_000);
});
