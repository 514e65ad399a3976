// Every registered command is wired the same way: a bin/ shim, a package.json
// bin entry, `ioaio <name>`, -V/--version (which ioaio.ts answers early) and
// help with examples and exit statuses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-registry.js';
import { helpExtras } from '../../src/cli/help.js';
import { ensureDist } from '../helpers/child.js';
import { ROOT, runBin } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; man: string[] };

beforeAll(() => ensureDist());

describe.each(COMMANDS.map((c) => c.name))('%s', (name) => {
  it('has a bin/ shim and a man page that package.json installs, and ioaio too', () => {
    expect(existsSync(join(ROOT, 'bin', name))).toBe(true);
    expect(pkg.bin[name]).toBe(`./bin/${name}`);
    expect(pkg.bin.ioaio).toBe('./bin/ioaio');
    expect(pkg.man).toContain(`./dist/man/${name}.1`);
    expect(pkg.man).toContain('./dist/man/ioaio.1');
  });

  // cptree and mvtree add rsync's 24 (source entries vanished meanwhile)
  const vanishes = name === 'cptree' || name === 'mvtree';

  it('defines -V, --version, -h, --help, examples and the shared exit statuses', async () => {
    const mod = await COMMANDS.find((c) => c.name === name)!.load();
    const cmd = mod.command('9.9.9');
    expect(cmd.name()).toBe(name);
    expect(cmd.options.find((o) => o.long === '--version')?.short).toBe('-V');
    const x = helpExtras(cmd);
    expect(x?.examples.length).toBeGreaterThan(0);
    expect(x?.exits.map(([n]) => n)).toEqual(vanishes ? [0, 1, 2, 24, 130] : [0, 1, 2, 130]);
  });

  it('--version early and through commander print the same', () => {
    const early = runBin(name, ['--version']);
    // Two arguments skip ioaio.ts's early answer; commander prints the version.
    const late = runBin(name, ['-V', '-V']);
    expect(early.status).toBe(0);
    expect(early.stdout).toBe(`${pkg.version}\n`);
    expect(late.stdout).toBe(early.stdout);
    expect(runBin('ioaio', [name, '-V']).stdout).toBe(early.stdout);
  });

  it('ioaio NAME --help is NAME --help', () => {
    const direct = runBin(name, ['--help']);
    expect(direct.status).toBe(0);
    expect(direct.stdout).toMatch(/^Usage: /);
    expect(direct.stdout).toContain('Examples:');
    expect(direct.stdout).toMatch(vanishes ? /Exit status:\n {2}0 {4}ok\n {2}1 {4}.+\n {2}2 {4}usage error\n {2}24 {3}nothing failed, but source entries vanished.+\n {2}130 {2}interrupted/ : /Exit status:\n {2}0 {4}ok\n {2}1 {4}.+\n {2}2 {4}usage error\n {2}130 {2}interrupted/);
    expect(runBin('ioaio', [name, '--help']).stdout).toBe(direct.stdout);
  });
});
