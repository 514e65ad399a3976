// What --help shows after the options (examples, exit statuses) kept as
// data on the Command, so the man page and the completions read the same
// source as --help does.
import type { Command } from 'commander';
import { colorsFor } from './colors.js';
import { EXIT } from './exit.js';

export interface Example {
  /** The command line, as typed. */
  line: string;
  /** What it does, one line; empty when the line says it all. */
  note?: string;
}

export interface HelpExtras {
  examples: Example[];
  /** exit status -> meaning, in order. */
  exits: [number, string][];
}

const extras = new WeakMap<Command, HelpExtras>();

/** The exit statuses every ioaio command shares; `failed` says what status 1 means for this one. */
export function standardExits(failed: string, more: [number, string][] = []): [number, string][] {
  return [
    [EXIT.OK, 'ok'],
    [EXIT.SOME_FAILED, failed],
    [EXIT.USAGE, 'usage error'],
    ...more,
    [EXIT.INTERRUPTED, 'interrupted (SIGINT)'],
  ];
}

/** cptree's and mvtree's 24, as rsync's. */
export const VANISHED_EXIT: [number, string] = [EXIT.VANISHED, 'nothing failed, but source entries vanished (removed by someone else) during the run'];

/** Attaches examples and exit statuses to cmd, styles its help, returns cmd. */
export function withHelp(cmd: Command, x: HelpExtras): Command {
  extras.set(cmd, x);
  const c = colorsFor(process.stdout);
  cmd.configureHelp({ styleTitle: (s) => c.bold(s), styleOptionTerm: (s) => c.cyan(s), styleSubcommandTerm: (s) => c.cyan(s) });
  cmd.configureOutput({ getOutHasColors: () => c.isColorSupported, getErrHasColors: () => false });
  cmd.addHelpText('after', () => helpTail(x, c));
  return cmd;
}

export function helpExtras(cmd: Command): HelpExtras | undefined {
  return extras.get(cmd);
}

function helpTail(x: HelpExtras, c: ReturnType<typeof colorsFor>): string {
  const width = Math.max(0, ...x.examples.filter((e) => e.note).map((e) => e.line.length));
  const ex = x.examples.map((e) => `  ${e.note ? `${e.line.padEnd(width)}   ${c.dim(e.note)}` : e.line}`);
  const exits = x.exits.map(([n, m]) => `  ${String(n).padEnd(3)}  ${m}`);
  return `\n${c.bold('Examples:')}\n${ex.join('\n')}\n\n${c.bold('Exit status:')}\n${exits.join('\n')}\n`;
}
