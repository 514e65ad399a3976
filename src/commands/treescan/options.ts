// argv -> TreescanConfig. The parser knows nothing of walking, and the walk
// nothing of the parser (house rule 3).
import { Command, InvalidArgumentError } from 'commander';
import { parseCommand, positiveInt, summaryMode, UsageError } from '../../cli/command.js';
import { standardExits, withHelp } from '../../cli/help.js';
import { jobsArg, jobsHelp, resolveJobs } from '../../cli/jobs.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { addProgressOptions, progressWhen } from '../../cli/progress-options.js';
import { addShardOptions, shardFrom } from '../../cli/shard-options.js';
import { argsBytes } from '../../cli/raw-argv.js';
import type { TreescanConfig } from './config.js';

export function treescanCommand(version: string): Command {
  const cmd = new Command('treescan')
    .description('Scan directory trees in parallel on libeio threads: list dirs (with a trailing /) and files, stat, sync, grep.')
    .argument('[path...]', 'where to start (default: .)')
    .option('-q, --quiet', 'print no paths')
    .option('-0, --print0', 'end each path with NUL, not newline')
    .option('-s, --stat', 'stat every entry (pulls metadata into the cache; adds fields to --json)')
    .option('-d, --dirs', 'only list directories')
    .option('-f, --files', 'only list non-directories')
    .option('--sync', 'open, fsync and close every file and directory')
    .option('-g, --grep <re>', 'only list paths matching this JS RegExp (s flag: . matches newline)')
    .option('-j, --jobs <n|auto>', jobsHelp('on NFS, FUSE, SMB and other network filesystems, where each waits on a round trip,'), jobsArg)
    .option('--max-outstanding <n>', 'requests in flight at most (default: 4 x jobs)', positiveInt('--max-outstanding'))
    .option('--json', 'one JSON object per entry (NDJSON)')
    .option('--max-depth <n>', 'descend at most n levels (0: only the paths given)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--max-depth must be a non-negative integer, got '${v}'`);
      return n;
    })
    .option('-x, --one-file-system', 'do not descend into other filesystems')
    .option('-L, --follow', 'follow symbolic links (loops are detected)')
    .option('--exclude <glob>', 'skip entries matching glob, and what is below them (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--sort', 'sorted, depth-first output, streamed as it is found')
    .option('--summary', 'print counts and time to stderr at the end')
    .option('--summary-json', 'the same, as one JSON object on stderr (ioaio summary-merge adds up shards\' ones)')
    .version(version, '-V, --version')
    .helpOption('-h, --help');
  return withHelp(addShardOptions(addProgressOptions(cmd), 'the tree'), {
    examples: [
      { line: 'treescan /srv', note: 'every path under /srv, directories ending in /' },
      { line: 'treescan -f -0 src | xargs -0 wc -l', note: 'count lines of every file, any name' },
      { line: 'treescan -q -s --summary /nfs', note: 'pull all metadata into the cache, then report' },
      { line: 'treescan --json -s --max-depth 1 .', note: 'entries here and one level down, with stat fields' },
      { line: "treescan -g '\\.c$' --exclude .git ~/src", note: 'C files, not looking inside .git' },
      { line: 'treescan --shard 2/4 -0 /nfs/data > part2', note: 'the third of four disjoint shares (for four hosts)' },
    ],
    exits: standardExits('some entries failed (each reported on stderr)'),
  });
}

/** Parses argv (without node and script); throws UsageError for bad usage. */
export function parseOptions(argv: string[], version: string): TreescanConfig | 'exit' {
  const cmd = parseCommand(treescanCommand(version), argv);
  if (cmd === 'exit') return 'exit';
  const o = cmd.opts();
  let grep: RegExp | undefined;
  if (o.grep !== undefined) {
    try {
      grep = new RegExp(o.grep, 's');
    } catch (e) {
      throw new UsageError(`--grep: ${(e as Error).message}`);
    }
  }
  if (o.dirs && o.files) throw new UsageError('--dirs and --files exclude each other');
  const summary = summaryMode(o);
  const paths = argsBytes(cmd.args.length ? cmd.args : ['.']);
  const { jobs, auto } = resolveJobs(o.jobs, paths.some(isLatencyBound) ? REMOTE_JOBS : LOCAL_JOBS);
  for (const p of paths) if (p.length === 0) throw new UsageError("'' is not a path");
  const shard = shardFrom(o);
  // a followed link's tree is not where its path says: no share by path can deal it out
  if (shard && o.follow) throw new UsageError('--shard and -L exclude each other');
  return {
    paths,
    quiet: !!o.quiet,
    print0: !!o.print0,
    stat: !!o.stat,
    dirsOnly: !!o.dirs,
    filesOnly: !!o.files,
    progress: progressWhen(o),
    sync: !!o.sync,
    grep,
    jobs,
    auto,
    maxOutstanding: o.maxOutstanding ?? jobs * 4,
    fixedOutstanding: o.maxOutstanding !== undefined,
    json: !!o.json,
    maxDepth: o.maxDepth ?? Infinity,
    oneFileSystem: !!o.oneFileSystem,
    follow: !!o.follow,
    exclude: o.exclude,
    sort: !!o.sort,
    summary,
    shard,
  };
}
