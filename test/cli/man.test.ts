// scripts/man.mjs writes a page per command from the --help source; man(1)
// renders each without warnings and it carries every option and example.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-registry.js';
import { helpExtras } from '../../src/cli/help.js';
import { ensureDist } from '../helpers/child.js';
import { ROOT } from '../helpers/cli.js';

const MAN = join(ROOT, 'dist/man');

beforeAll(() => {
  ensureDist();
  execFileSync(process.execPath, ['scripts/man.mjs'], { cwd: ROOT });
});

const render = (page: string) => {
  const r = spawnSync('man', ['-l', join(MAN, page)], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '', PAGER: 'cat' } });
  expect(r.status).toBe(0);
  return r.stdout.replace(/.\x08/g, '');
};

describe('man pages', () => {
  it('one per command, and ioaio.1', () => {
    expect(readdirSync(MAN).sort()).toEqual(['ioaio.1', ...COMMANDS.map((c) => `${c.name}.1`)].sort());
  });

  it.each(['ioaio', ...COMMANDS.map((c) => c.name)])('%s.1 renders without groff warnings', (name) => {
    const r = spawnSync('groff', ['-man', '-ww', '-z', join(MAN, `${name}.1`)], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it.each(COMMANDS.map((c) => c.name))('%s.1 has every option, example and exit status of --help', async (name) => {
    const text = render(`${name}.1`);
    const cmd = (await COMMANDS.find((c) => c.name === name)!.load()).command('0');
    expect(text).toMatch(new RegExp(`^NAME\\n\\s+${name} - `, 'm'));
    for (const o of cmd.options) expect(text).toContain(o.flags);
    for (const e of helpExtras(cmd)!.examples) expect(text).toContain(e.line);
    expect(text).toMatch(/EXIT STATUS\n\s+0\s+ok\n/);
    expect(text).toMatch(/\n\s+130\s+interrupted/);
  });
});
