// pstat's entry point: argv -> config -> run -> exit status.
import { threadsLabel } from '../../cli/jobs.js';
import { commandMain } from '../../cli/command.js';
import { startProgress } from '../../ui/progress.js';
import { parseOptions } from './options.js';
import { run } from './run.js';

export function main(argv: string[]): Promise<number> {
  return commandMain('pstat', argv, parseOptions, (cfg) =>
    run(cfg, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      progress: (counters, started) =>
        startProgress(cfg.progress, { tool: 'pstat', counters, started, threads: threadsLabel }, process.stderr),
    }),
  );
}
export { pstatCommand as command } from './options.js';
