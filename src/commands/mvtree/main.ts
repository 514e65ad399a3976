// mvtree's entry point: argv -> config -> run -> exit status.
import { threadsLabel } from '../../cli/jobs.js';
import { commandMain } from '../../cli/command.js';
import { startCopyProgress } from '../../ui/copy-progress.js';
import { startRemoveProgress } from '../../ui/remove-progress.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('mvtree', argv, parseOptions, (cfg) =>
    run(cfg, {
      stdout: process.stdout,
      stderr: process.stderr,
      copyProgress: (counters, started) => startCopyProgress(cfg.progress, { tool: 'mvtree', counters, started, threads: threadsLabel }, process.stderr),
      removeProgress: (counters, started) => startRemoveProgress(cfg.progress, { tool: 'mvtree', counters, started, threads: threadsLabel }, process.stderr),
    }),
  );
}
export { mvtreeCommand as command } from './options.js';
