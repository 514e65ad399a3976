// What every ioaio command's options and entry point share: commander's
// errors as one usage error (exit 2), --help/--version as "done", and
// argv -> config -> run -> exit status.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { quietOnEpipe } from './epipe.js';
import { EXIT } from './exit.js';
import { toolPrefix } from './messages.js';
import { packageVersion } from './version.js';

/** Bad usage: printed as `tool: message`, exit status 2. */
export class UsageError extends Error {}

/** A commander argument parser for a positive integer option. */
export function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** Parses argv with cmd; 'exit' after --help or --version; UsageError for the rest. */
export function parseCommand(cmd: Command, argv: string[]): Command | 'exit' {
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 'exit';
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  return cmd;
}

/** A command's main: options (may throw UsageError) -> run -> exit status. */
export async function commandMain<C>(
  tool: string,
  argv: string[],
  parse: (argv: string[], version: string) => C | 'exit',
  run: (cfg: C) => Promise<number>,
): Promise<number> {
  quietOnEpipe(process.stdout);
  let cfg: C | 'exit';
  try {
    cfg = parse(argv, packageVersion());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${toolPrefix(tool)} ${e.message}\nTry '${tool} --help'.\n`);
    return EXIT.USAGE;
  }
  return cfg === 'exit' ? EXIT.OK : run(cfg);
}

/** --summary / --summary-json (which exclude each other) as one setting. */
export function summaryMode(o: { summary?: boolean; summaryJson?: boolean }): 'none' | 'text' | 'json' {
  if (o.summary && o.summaryJson) throw new UsageError('--summary and --summary-json exclude each other');
  return o.summaryJson ? 'json' : o.summary ? 'text' : 'none';
}
