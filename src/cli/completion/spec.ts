// A command's options and arguments as the completion generators need
// them, read from commander's Command (the same objects --help prints).
import { Help, type Command, type Option } from 'commander';

export interface ValueSpec {
  /** The placeholder, e.g. `when` of `--progress <when>`. */
  name: string;
  /** Fixed values to offer (commander choices). */
  choices?: readonly string[];
  /** The value is a file name, so complete files. */
  files: boolean;
}

export interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  value?: ValueSpec;
  /** May be given more than once (its default is a list). */
  repeatable: boolean;
  /** Ends the command (--help, --version): nothing else is offered with it. */
  terminal: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What the positional arguments take. */
  args: ValueSpec | undefined;
  subcommands: CommandSpec[];
}

const FILE_PLACEHOLDER = /^(file|path|dir|directory)s?$/;

function valueOf(name: string, choices: readonly string[] | undefined): ValueSpec {
  return choices ? { name, choices, files: false } : { name, files: FILE_PLACEHOLDER.test(name) };
}

function optionSpec(o: Option, terminal: boolean): OptionSpec {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1]?.replace(/\.\.\.$/, '');
  return {
    ...(o.short ? { short: o.short } : {}),
    ...(o.long ? { long: o.long } : {}),
    description: o.description,
    ...(placeholder !== undefined ? { value: valueOf(placeholder, o.argChoices) } : {}),
    repeatable: Array.isArray(o.defaultValue) || o.variadic,
    terminal,
  };
}

export function specOf(cmd: Command): CommandSpec {
  const help = new Help();
  const versionFlags = (cmd as unknown as { _versionOptionName?: string })._versionOptionName;
  const options = help.visibleOptions(cmd).map((o) => optionSpec(o, o.long === '--help' || o.attributeName() === versionFlags));
  const arg = cmd.registeredArguments[0];
  return {
    name: cmd.name(),
    description: cmd.description(),
    options,
    args: arg ? valueOf(arg.name(), arg.argChoices) : undefined,
    subcommands: help.visibleCommands(cmd).filter((c) => c.name() !== 'help').map(specOf),
  };
}

/** The flags of an option, short first: ['-q', '--quiet']. */
export function flagsOf(o: OptionSpec): string[] {
  return [o.short, o.long].filter((f): f is string => f !== undefined);
}

/** A shell-safe function-name fragment for a command name. */
export function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}
