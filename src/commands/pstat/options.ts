// argv -> PstatConfig.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { PstatConfig } from './config.js';

export class UsageError extends Error {}

/** The default when no -c is given: one line per path, like ls -l's fields. */
export const DEFAULT_FORMAT = '%A %h %U %G %s %y %n';

/** 64 threads: stat mostly waits (on NFS, a round trip per path component),
 *  so threads are cheap, and 64 in flight hide a 1 ms round trip at up to
 *  ~60k stats/s; the CPU count says nothing about that. */
export const DEFAULT_JOBS = 64;

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

export function pstatCommand(version: string): Command {
  return new Command('pstat')
    .description('Stat many paths in parallel on libeio threads (built for NFS): GNU stat -c formats, JSON, summaries.')
    .argument('[path...]', 'paths to stat; none or - : read them from stdin (or --from)')
    .option('-0, --null', 'input paths end with NUL, not newline')
    .option('--from <file>', 'read the paths from this file')
    .option('-c, --format <fmt>', `GNU stat -c format (default '${DEFAULT_FORMAT}')`)
    .option('--printf <fmt>', 'like --format, with backslash escapes and no newline added')
    .option('--json', 'one JSON object per path, every field')
    .option('-L, --dereference', 'follow symlinks (default: stat the link itself, as stat does)')
    .option('--unordered', 'print results as they finish, not in input order')
    .option('--summary', 'totals, sizes and mtimes on stderr at the end')
    .option('--summary-json', 'the same, as JSON on stderr')
    .option('-j, --jobs <n>', `worker threads (default ${DEFAULT_JOBS})`, positiveInt('--jobs'))
    .option('--max-outstanding <n>', 'stats in flight at most (default: 4 x jobs)', positiveInt('--max-outstanding'))
    .version(version, '-V, --version')
    .addHelpText('after', `
Examples:
  treescan -0 -f /srv | pstat -0 -c '%s %n'
  pstat --summary -c '%n' < paths.txt
  pstat --json /etc/passwd /etc/shadow

Exit status: 0 ok, 1 some paths failed, 2 usage error, 130 interrupted.`);
}

export function parseOptions(argv: string[], version: string): PstatConfig | 'exit' {
  const cmd = pstatCommand(version).exitOverride().configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 'exit';
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const o = cmd.opts();
  const given = [o.format !== undefined, o.printf !== undefined, !!o.json].filter(Boolean).length;
  if (given > 1) throw new UsageError('--format, --printf and --json exclude each other');
  if (o.summary && o.summaryJson) throw new UsageError('--summary and --summary-json exclude each other');
  const args: string[] = cmd.args;
  const fromStdin = args.length === 0 || (args.length === 1 && args[0] === '-');
  if (o.from !== undefined && !fromStdin) throw new UsageError('--from and PATH arguments exclude each other');
  const jobs: number = o.jobs ?? DEFAULT_JOBS;
  return {
    paths: fromStdin ? [] : args.map((a) => Buffer.from(a)),
    from: o.from,
    null: !!o.null,
    format: o.printf ?? o.format ?? DEFAULT_FORMAT,
    printf: o.printf !== undefined,
    json: !!o.json,
    dereference: !!o.dereference,
    unordered: !!o.unordered,
    summary: o.summaryJson ? 'json' : o.summary ? 'text' : 'none',
    jobs,
    maxOutstanding: o.maxOutstanding ?? jobs * 4,
  };
}
