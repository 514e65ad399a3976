// Colour only for a person: never into a pipe unless FORCE_COLOR; NO_COLOR wins.
import { describe, expect, it, beforeAll } from 'vitest';
import { wantsColor } from '../../src/cli/colors.js';
import { ensureDist } from '../helpers/child.js';
import { cleanEnv, runBin } from '../helpers/cli.js';

const ESC = '\x1b[';
beforeAll(() => ensureDist());

describe('wantsColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('follows the stream, TERM=dumb, NO_COLOR and FORCE_COLOR', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('commands', () => {
  it('print no escapes into a pipe, and colour with FORCE_COLOR', () => {
    const plain = runBin('treescan', ['--help']);
    expect(plain.stdout).not.toContain(ESC);
    const forced = runBin('treescan', ['--help'], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stdout).toContain(`${ESC}1mUsage:`);
    expect(forced.stdout.replace(/\x1b\[\d+m/g, '')).toBe(plain.stdout);
    const none = runBin('treescan', ['--help'], { env: cleanEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) });
    expect(none.stdout).toBe(plain.stdout);
  });

  it('colour the tool: prefix of errors only, never the data on stdout', () => {
    const r = runBin('pstat', ['-c', '%n', '/no/such/path', '/'], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('/\n');
    expect(r.stderr).toMatch(/^\x1b\[1m\x1b\[31mpstat:\x1b\[39m\x1b\[22m \/no\/such\/path: /);
    const plain = runBin('pstat', ['-c', '%n', '/no/such/path', '/']);
    expect(plain.stderr).toMatch(/^pstat: \/no\/such\/path: /);
  });
});
