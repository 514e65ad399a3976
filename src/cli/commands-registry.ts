// The one list of ioaio's commands. `ioaio <name>`, a link named <name>,
// `ioaio --help`, the shell completions and the man pages all come from
// here: a new command is added by one entry below, plus the two lines npm
// needs to install it (its bin/ shim with package.json "bin", and its page in
// package.json "man"), which test/cli/registry.test.ts checks.
import type { Command } from 'commander';

/** What a command's src/commands/<name>/main.ts exports. */
export interface CommandModule {
  /** Runs the command on argv (without node and script); resolves to the exit status. */
  main(argv: string[]): Promise<number>;
  /** The command's commander definition: the source of --help, man page and completions. */
  command(version: string): Command;
}

export interface RegisteredCommand {
  name: string;
  /** Perf: loaded only when chosen, so `ioaio --version` and the other commands do not parse this one. */
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly RegisteredCommand[] = [
  { name: 'treescan', load: () => import('../commands/treescan/main.js') },
  { name: 'pstat', load: () => import('../commands/pstat/main.js') },
  { name: 'cptree', load: () => import('../commands/cptree/main.js') },
  { name: 'rmtree', load: () => import('../commands/rmtree/main.js') },
  { name: 'mvtree', load: () => import('../commands/mvtree/main.js') },
];

export function findCommand(name: string): RegisteredCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Every command's definition, in registry order (loads them all). */
export async function commandDefinitions(version: string): Promise<Command[]> {
  const mods = await Promise.all(COMMANDS.map((c) => c.load()));
  return mods.map((m) => m.command(version));
}
