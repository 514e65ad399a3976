// pstat's entry point: argv -> config -> run -> exit status.
import { quietOnEpipe } from '../../cli/epipe.js';
import { EXIT } from '../../cli/exit.js';
import { packageVersion } from '../../cli/version.js';
import { parseOptions, UsageError } from './options.js';
import { run } from './run.js';

export async function main(argv: string[]): Promise<number> {
  quietOnEpipe(process.stdout);
  let cfg;
  try {
    cfg = parseOptions(argv, packageVersion());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`pstat: ${e.message}\nTry 'pstat --help'.\n`);
    return EXIT.USAGE;
  }
  if (cfg === 'exit') return EXIT.OK;
  return run(cfg, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}
