// argv -> RmtreeConfig. The parser knows nothing of removing (house rule 3).
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { parseCommand, positiveInt, summaryMode, UsageError } from '../../cli/command.js';
import { jobsArg, jobsHelp, resolveJobs } from '../../cli/jobs.js';
import { isLatencyBound, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { standardExits, withHelp } from '../../cli/help.js';
import { addProgressOptions, progressWhen } from '../../cli/progress-options.js';
import { addShardOptions, shardFrom } from '../../cli/shard-options.js';
import { argsBytes } from '../../cli/raw-argv.js';
import type { RmtreeConfig } from './config.js';

export function rmtreeCommand(version: string): Command {
  const cmd = new Command('rmtree')
    .description('Remove directory trees in parallel on libeio threads, like rm -rf: many directories at once, each removed once it is empty.')
    .argument('<path...>', 'what to remove: a directory and everything below it, or any single entry (a symlink is removed as the link)')
    .option('-f, --force', 'a missing PATH is not an error (the default, as rm -rf)')
    .option('--no-force', 'a missing PATH is an error')
    .option('-x, --one-file-system', 'do not descend into directories on another filesystem: they are left in place and reported')
    .option('--exclude <glob>', 'keep entries matching glob, and so the directories above them (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--from-list <file>', "remove only the entries this list names below the one PATH (paths below it, or as treescan prints them: -0, lines or --json; '-': stdin); PATH itself stays")
    .option('-0, --null', '--from-list ends each path with NUL, not newline')
    .option('-n, --dry-run', 'print what would be removed; remove nothing')
    .option('-j, --jobs <n|auto>', jobsHelp('when a PATH is on NFS, FUSE, SMB or another network filesystem', 'one per core'), jobsArg)
    .option('--max-outstanding <n>', 'requests in flight at most (default: jobs)', positiveInt('--max-outstanding'))
    .option('-v, --verbose', 'print each entry as it goes: remove PATH, or rmdir PATH for a directory (after what is below it)')
    .option('--json', 'one JSON event per entry, error and the summary (NDJSON) on stdout')
    .option('--summary', 'print counts and time to stderr at the end')
    .option('--summary-json', 'the same, as one JSON object on stderr (ioaio summary-merge adds up shards\' ones)')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .addHelpText('after', `
PATH '/' (or anything that is it), and any PATH ending in '.' or '..', is
refused before anything is removed. Entries that vanish while rmtree runs
are not errors.`);
  return withHelp(addShardOptions(addProgressOptions(cmd), 'each tree: the directories the shards share stay, for a plain rmtree run after them all'), {
    examples: [
      { line: 'rmtree build/ node_modules/', note: 'both trees, many directories at once' },
      { line: 'rmtree -n --exclude "*.log" logs', note: 'what would go, keeping the .log files' },
      { line: 'rmtree -x /mnt/scratch/run42', note: 'not below mount points inside it' },
      { line: 'rmtree -p --summary /nfs/old-results', note: 'with a live view, and the counts at the end' },
      { line: 'rmtree --shard auto /lustre/run7 && rmtree /lustre/run7', note: 'in a job array: the shares, then (once, after all) the rest' },
      { line: 'treescan -0 /lustre/run7 > run7.list; rmtree --shard auto -0 --from-list run7.list /lustre/run7', note: 'a scan done once feeds every shard' },
    ],
    exits: standardExits('some entries could not be removed, were left on another filesystem (-x), or a PATH was missing (--no-force)'),
  });
}

export function parseOptions(argv: string[], version: string): RmtreeConfig | 'exit' {
  const cmd = parseCommand(rmtreeCommand(version), argv);
  if (cmd === 'exit') return 'exit';
  const o = cmd.opts();
  const paths = argsBytes(cmd.args);
  if (paths.some((p) => p.length === 0)) throw new UsageError("'' is not a path");
  const remote = paths.some((p) => isLatencyBound(p));
  // Perf: a warm local tree's removal is the kernel's CPU work; threads past
  // the cores only contend (a copy of /usr/share: 0.29-0.30 s with 2, 0.32-0.49 s with 8).
  const { jobs, auto } = resolveJobs(o.jobs, remote ? REMOTE_JOBS : availableParallelism());
  const maxOutstanding: number = o.maxOutstanding ?? jobs;
  const summary = summaryMode(o);
  const shard = shardFrom(o);
  // an exclusion's path is below the PATH given, which a shard's subtrees are not
  if (shard && o.exclude.length) throw new UsageError('--shard and --exclude exclude each other (for now)');
  if (o.null && o.fromList === undefined) throw new UsageError('-0 is for --from-list');
  if (o.fromList !== undefined) {
    if (paths.length !== 1) throw new UsageError('--from-list takes one PATH: the directory its paths are below');
    if (o.exclude.length) throw new UsageError('--from-list names what is removed: not with --exclude');
    // a listed directory takes the listed entries below it along: they are gone, not missing
    if (o.force === false) throw new UsageError('--from-list and --no-force exclude each other (a listed directory takes its listed entries with it)');
  }
  return {
    paths,
    force: o.force !== false,
    oneFileSystem: !!o.oneFileSystem,
    exclude: o.exclude,
    dryRun: !!o.dryRun,
    // Perf: each work request holds a thread; more than the threads would only queue.
    jobs: Math.min(jobs, maxOutstanding),
    auto,
    maxOutstanding,
    fixedOutstanding: o.maxOutstanding !== undefined,
    verbose: !!o.verbose,
    json: !!o.json,
    summary,
    progress: progressWhen(o),
    shard,
    fromList: o.fromList,
    null: !!o.null,
  };
}
