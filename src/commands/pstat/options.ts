// argv -> PstatConfig.
import { Command, Option } from 'commander';
import { parseCommand, positiveInt, summaryMode, UsageError } from '../../cli/command.js';
import { standardExits, withHelp } from '../../cli/help.js';
import { jobsArg, jobsHelp, type JobsArg } from '../../cli/jobs.js';
import { addProgressOptions, progressWhen } from '../../cli/progress-options.js';
import { addShardOptions, shardFrom } from '../../cli/shard-options.js';
import { argsBytes } from '../../cli/raw-argv.js';
import { LOCAL_BATCH, REMOTE_BATCH } from './batch.js';
import type { PstatConfig } from './config.js';


/** The default when no -c is given: one line per path, like ls -l's fields. */
export const DEFAULT_FORMAT = '%A %h %U %G %s %y %n';

export function pstatCommand(version: string): Command {
  const cmd = new Command('pstat')
    .description('Stat many paths in parallel on libeio threads (built for NFS): GNU stat -c formats, JSON, summaries.')
    .argument('[path...]', 'paths to stat; none or - : read them from stdin (or --from)')
    .option('-0, --null', 'input paths end with NUL, not newline')
    .option('--from <file>', 'read the paths from this file')
    .option('-c, --format <fmt>', `GNU stat -c format (default '${DEFAULT_FORMAT}')`)
    .option('--printf <fmt>', 'like --format, with backslash escapes and no newline added')
    .option('--json', 'one JSON object per path, every field')
    .option('-L, --dereference', 'follow symlinks (default: stat the link itself, as stat does)')
    .addOption(new Option('--cached <mode>', "as GNU stat: 'always' lets attributes the NFS/FUSE client already holds answer (one round trip less per path after its lookup, but they may be as old as the client's attribute cache); 'never' always asks the server; 'default': as stat(2)").choices(['default', 'always', 'never']).default('default'))
    .option('--unordered', 'print results as they finish, not in input order')
    .option('--summary', 'totals, sizes and mtimes on stderr at the end')
    .option('--summary-json', 'the same, as JSON on stderr')
    .option('-j, --jobs <n|auto>', jobsHelp('when the first path is on NFS, FUSE, SMB or another network filesystem, where each stat waits on round trips,'), jobsArg)
    .option('--max-outstanding <n>', 'stat requests in flight at most (default: 2 x jobs)', positiveInt('--max-outstanding'))
    .option('--batch <n>', `paths per stat request (default: ${REMOTE_BATCH} on network filesystems, ${LOCAL_BATCH} elsewhere)`, positiveInt('--batch'))
    .version(version, '-V, --version')
    .helpOption('-h, --help');
  return withHelp(addShardOptions(addProgressOptions(cmd), 'the paths (by a hash of each path as given: every shard reads the same list)'), {
    examples: [
      { line: "treescan -0 -f /srv | pstat -0 -c '%s %n'", note: 'size and name of every file under /srv' },
      { line: "pstat --summary -c '%n' < paths.txt", note: 'the paths that exist, then totals' },
      { line: 'pstat --json /etc/passwd /etc/shadow', note: 'every stat field, one JSON object each' },
      { line: 'pstat --shard auto --summary-json --from list', note: 'one Slurm array task\'s share of a list' },
    ],
    exits: standardExits('some paths failed (each reported on stderr)'),
  });
}

export function parseOptions(argv: string[], version: string): PstatConfig | 'exit' {
  const cmd = parseCommand(pstatCommand(version), argv);
  if (cmd === 'exit') return 'exit';
  const o = cmd.opts();
  const given = [o.format !== undefined, o.printf !== undefined, !!o.json].filter(Boolean).length;
  if (given > 1) throw new UsageError('--format, --printf and --json exclude each other');
  const summary = summaryMode(o);
  const args: string[] = cmd.args;
  const fromStdin = args.length === 0 || (args.length === 1 && args[0] === '-');
  if (o.from !== undefined && !fromStdin) throw new UsageError('--from and PATH arguments exclude each other');
  const jobs: JobsArg | undefined = o.jobs;
  return {
    paths: fromStdin ? [] : argsBytes(args),
    from: o.from,
    null: !!o.null,
    format: o.printf ?? o.format ?? DEFAULT_FORMAT,
    printf: o.printf !== undefined,
    json: !!o.json,
    dereference: !!o.dereference,
    cached: o.cached,
    unordered: !!o.unordered,
    summary,
    jobs,
    maxOutstanding: o.maxOutstanding,
    batch: o.batch,
    progress: progressWhen(o),
    shard: shardFrom(o),
  };
}
