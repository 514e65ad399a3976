// treescan's entry point: argv -> config -> run -> exit status.
import { threadsLabel } from '../../cli/jobs.js';
import { commandMain } from '../../cli/command.js';
import { startProgress } from '../../ui/progress.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('treescan', argv, parseOptions, (cfg) =>
    run(cfg, {
      stdout: process.stdout,
      stderr: process.stderr,
      progress: (counters, started) =>
        startProgress(cfg.progress, { tool: 'treescan', counters, started, threads: threadsLabel }, process.stderr),
    }),
  );
}
export { treescanCommand as command } from './options.js';
