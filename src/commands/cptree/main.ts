// cptree's entry point: argv -> config -> run -> exit status.
import { threadsLabel } from '../../cli/jobs.js';
import { commandMain } from '../../cli/command.js';
import { startCopyProgress } from '../../ui/copy-progress.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('cptree', argv, parseOptions, (cfg) =>
    run(cfg, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      progress: (counters, started) =>
        startCopyProgress(cfg.progress, { tool: 'cptree', counters, started, threads: threadsLabel }, process.stderr),
    }),
  );
}
export { cptreeCommand as command } from './options.js';
