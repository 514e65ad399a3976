// Writes dist/man/<command>.1 for ioaio and every registered command, from
// the compiled Command definitions (run after tsc). package.json's
// "man" list installs them with the npm package (a test checks the list).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manPage } from '../dist/src/cli/man.js';
import { ioaioProgram } from '../dist/src/cli/program.js';
import { packageVersion } from '../dist/src/cli/version.js';

const out = 'dist/man';
const version = packageVersion();
const program = await ioaioProgram(version);
// (completion and summary-merge are ioaio's own, on its page)
const commands = program.commands.filter((c) => c.name() !== 'completion' && c.name() !== 'summary-merge');
const pages = ['ioaio', ...commands.map((c) => c.name())];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const seeAlso = (self) => pages.filter((p) => p !== self);
writeFileSync(join(out, 'ioaio.1'), manPage(program, { version, seeAlso: seeAlso('ioaio') }));
for (const c of commands) {
  writeFileSync(join(out, `${c.name()}.1`), manPage(c, { version, alsoAs: `ioaio ${c.name()}`, seeAlso: seeAlso(c.name()) }));
}
