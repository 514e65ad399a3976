// The progress options every long-running command shares: -p and
// --progress=auto|always|never (see src/ui/progress.ts).
import { Option, type Command } from 'commander';
import type { ProgressWhen } from '../ui/reporter.js';

export function addProgressOptions(cmd: Command): Command {
  return (
    cmd
      // -p is a plain flag, as in IO::AIO's treescan: an optional value would
      // swallow the PATH after it.
      .option('-p', 'show progress (same as --progress=always)')
      .addOption(new Option('--progress <when>', 'progress on stderr: a live view on a terminal, else a line a second').choices(['auto', 'always', 'never']).default('auto'))
  );
}

/** The parsed options' progress choice. */
export function progressWhen(o: { p?: boolean; progress?: string }): ProgressWhen {
  return o.p ? 'always' : ((o.progress ?? 'auto') as ProgressWhen);
}
