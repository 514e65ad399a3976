// treescan's entry point: argv -> config -> run -> exit status.
import { aio } from '../../aio/index.js';
import { quietOnEpipe } from '../../cli/epipe.js';
import { EXIT } from '../../cli/exit.js';
import { packageVersion } from '../../cli/version.js';
import { startProgress } from '../../ui/progress.js';
import { parseOptions, UsageError } from './options.js';
import { run } from './run.js';

export async function main(argv: string[]): Promise<number> {
  quietOnEpipe(process.stdout);
  let cfg;
  try {
    cfg = parseOptions(argv, packageVersion());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`treescan: ${e.message}\nTry 'treescan --help'.\n`);
    return EXIT.USAGE;
  }
  if (cfg === 'exit') return EXIT.OK;
  return run(cfg, {
    stdout: process.stdout,
    stderr: process.stderr,
    progress: (counters, started) =>
      startProgress(cfg.progress, { tool: 'treescan', counters, started, threads: () => aio.nthreads() }, process.stderr),
  });
}
