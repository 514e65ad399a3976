// rmtree's entry point: argv -> config -> run -> exit status.
import { threadsLabel } from '../../cli/jobs.js';
import { commandMain } from '../../cli/command.js';
import { startRemoveProgress } from '../../ui/remove-progress.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('rmtree', argv, parseOptions, (cfg) =>
    run(cfg, {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      progress: (counters, started) =>
        startRemoveProgress(cfg.progress, { tool: 'rmtree', counters, started, threads: threadsLabel }, process.stderr),
    }),
  );
}
export { rmtreeCommand as command } from './options.js';
