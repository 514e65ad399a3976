// `ioaio` itself: a multi-call front end whose subcommands are the
// registered commands plus `completion`. Its Command object is the source of
// `ioaio --help`, the completion scripts and ioaio.1.
import { readFileSync } from 'node:fs';
import { Argument, Command } from 'commander';
import { commandMain, parseCommand, UsageError } from './command.js';
import { commandDefinitions } from './commands-registry.js';
import { completionScript, SHELLS, type Shell } from './completion/index.js';
import { standardExits, withHelp } from './help.js';
import { mergeSummaries, parseSummaries } from './summary-merge.js';
import { packageVersion } from './version.js';

function completionCommand(): Command {
  return new Command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .helpOption('-h, --help');
}

function summaryMergeCommand(): Command {
  return new Command('summary-merge')
    .description("add up the --summary-json objects of a job's shards (one a line) into the whole job's")
    .argument('[file...]', 'files of summaries (default: stdin)')
    .helpOption('-h, --help');
}

/** `ioaio summary-merge FILE...`: the merged summary on stdout. */
export async function summaryMergeMain(argv: string[]): Promise<number> {
  return commandMain('ioaio summary-merge', argv, (a) => {
    const cmd = parseCommand(summaryMergeCommand(), a);
    return cmd === 'exit' ? 'exit' : (cmd.args as string[]);
  }, async (files) => {
    try {
      const list = files.length ? files.flatMap((f) => parseSummaries(readFileSync(f, 'utf8'), f)) : parseSummaries(readFileSync(0, 'utf8'), 'stdin');
      process.stdout.write(JSON.stringify(mergeSummaries(list)) + '\n');
      return 0;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`ioaio summary-merge: ${err.code && err.path ? `${err.path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}` : err.message}\n`);
      return 1;
    }
  });
}

export function ioaioCommand(version: string, commands: Command[]): Command {
  const cmd = new Command('ioaio')
    .description('Parallel filesystem tools on libeio threads. Each command also runs under its own name (a link named treescan is treescan).')
    .usage('<command> [options] [args]')
    .version(version, '-V, --version')
    // answered by dispatch before commander loads (ioaio.ts); here for --help
    .option('--licenses', 'print the licences of ioaio, libeio and the bundled packages')
    .helpOption('-h, --help')
    .helpCommand(false);
  for (const c of commands) cmd.addCommand(c);
  cmd.addCommand(completionCommand());
  cmd.addCommand(summaryMergeCommand());
  return withHelp(cmd, {
    examples: [
      { line: 'ioaio treescan -f /srv', note: 'the same as: treescan -f /srv' },
      { line: 'ioaio pstat --help', note: "a command's options" },
      { line: 'source <(ioaio completion bash)', note: 'completion for ioaio and every command, in this shell' },
      { line: 'ioaio completion fish | source', note: 'the same in fish' },
      { line: 'cat shard-*.json | ioaio summary-merge', note: "one summary from the shards' --summary-json" },
    ],
    exits: standardExits('some entries failed'),
  });
}

/** The whole program with every command's definition loaded. */
export async function ioaioProgram(version = packageVersion()): Promise<Command> {
  return ioaioCommand(version, await commandDefinitions(version));
}

/** `ioaio completion SHELL`. */
export async function completionMain(argv: string[]): Promise<number> {
  const program = await ioaioProgram();
  return commandMain('ioaio completion', argv, (a) => {
    const cmd = parseCommand(completionCommand(), a);
    return cmd === 'exit' ? 'exit' : (cmd.processedArgs[0] as Shell);
  }, async (shell) => {
    process.stdout.write(completionScript(shell, program));
    return 0;
  });
}

/** `ioaio` with no known command: --help, --version, or a usage error. */
export async function programMain(argv: string[]): Promise<number> {
  const program = await ioaioProgram();
  return commandMain('ioaio', argv, (a) => {
    if (a.length === 0) throw new UsageError(`missing command (${program.commands.map((c) => c.name()).join(', ')})`);
    return parseCommand(program, a);
  }, async () => 0);
}
