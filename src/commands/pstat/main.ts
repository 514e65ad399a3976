// pstat's entry point: argv -> config -> run -> exit status.
import { commandMain } from '../../cli/command.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('pstat', argv, parseOptions, (cfg) => run(cfg, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }));
}
export { pstatCommand as command } from './options.js';
