// The program behind every bin/ entry and the single executable. Kept small
// on purpose: `--version` is answered here, before commander, koffi or any
// command is loaded (start-up bar: 0.15 s); bin/start.cjs answers it sooner
// still for the npm bins.
import { basename } from 'node:path';
import { findCommand } from './commands-registry.js';
import { licensesText } from './licenses.js';
import { packageVersion } from './version.js';

const isVersion = (args: string[]) => args.length === 1 && (args[0] === '--version' || args[0] === '-V');

/**
 * Runs `name` (a registered command, or `ioaio`) on args; resolves to the
 * exit status. Every command's --version is `-V, --version` printing the
 * package version (test/cli/registry.test.ts holds them to it).
 */
export async function dispatch(name: string, args: string[]): Promise<number> {
  if (isVersion(args)) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (args.length === 1 && args[0] === '--licenses') {
    process.stdout.write(licensesText());
    return 0;
  }
  const direct = findCommand(name);
  if (direct) return (await direct.load()).main(args);
  const [first = '', ...rest] = args;
  const sub = findCommand(first);
  if (sub) return isVersion(rest) ? dispatch(first, rest) : (await sub.load()).main(rest);
  const program = await import('./program.js');
  if (first === 'summary-merge') return program.summaryMergeMain(rest);
  return first === 'completion' ? program.completionMain(rest) : program.programMain(args);
}

/** The command a program file or link name stands for: a link named treescan is treescan. */
export function invokedAs(path: string): string {
  return basename(path);
}

/** Runs the program and sets the exit status; `name` defaults to how it was invoked. */
export function run(name: string | undefined, args: string[] = process.argv.slice(2), argv1: string = process.argv[1] ?? 'ioaio'): void {
  const tool = name ?? invokedAs(argv1);
  dispatch(tool, args).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${findCommand(tool) ? tool : 'ioaio'}: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
