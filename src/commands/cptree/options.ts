// argv -> CptreeConfig. The parser knows nothing of copying (house rule 3).
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseCommand, positiveInt, summaryMode, UsageError } from '../../cli/command.js';
import { argsBytes } from '../../cli/raw-argv.js';
import { dirName, resolvePath } from '../../copy/paths.js';
import { jobsArg, jobsHelp, resolveJobs } from '../../cli/jobs.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { standardExits, VANISHED_EXIT, withHelp } from '../../cli/help.js';
import { addProgressOptions, progressWhen } from '../../cli/progress-options.js';
import { addShardOptions, shardOrFinalize } from '../../cli/shard-options.js';
import type { CptreeConfig } from './config.js';

export function cptreeCommand(version: string): Command {
  const cmd = new Command('cptree')
    .description('Copy a directory tree in parallel on libeio threads, like cp -a, each file written under a temporary name and renamed into place when complete.')
    .argument('<src>', 'what to copy (a directory, or any single entry)')
    .argument('<dst>', 'the copy; if it is an existing directory, the copy goes to dst/basename(src) (as cp), unless -T')
    .option('-T, --merge', 'dst itself is the copy: an existing directory dst is merged into (like rsync -a src/ dst/)')
    .addOption(new Option('--reflink <when>', 'share data blocks (FICLONE) where the filesystem can').choices(['auto', 'always', 'never']).default('auto'))
    .option('--fsync', 'fsync each file before renaming it into place, and its directory after')
    .option('-u, --update', 'skip entries whose destination has the same type, size and mtime (restarts)')
    .option('--checksum', 'skip the data of files whose destination has the same bytes')
    .option('-n, --dry-run', 'print what would be done; write nothing')
    .option('-X, --xattrs', 'copy extended attributes and ACLs (the default)')
    .option('--no-xattrs', 'do not copy extended attributes')
    .option('-x, --one-file-system', 'do not copy what is below mount points (they are made as empty directories)')
    .option('--exclude <glob>', 'leave out entries matching glob, and what is below them (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--delete', 'remove what dst has and src does not (as rsync -a --delete; listed by -v, --json, -n; what --exclude leaves out stays)')
    .option('--delete-excluded', 'with --delete (implied), also remove from dst what --exclude leaves out')
    .option('-j, --jobs <n|auto>', jobsHelp('when src or dst is on NFS, FUSE, SMB or another network filesystem'), jobsArg)
    .option('--max-outstanding <n>', 'requests in flight at most (default: 4 x jobs)', positiveInt('--max-outstanding'))
    .option('-v, --verbose', 'print each entry as it is done: ACTION PATH (copy, link, mkdir, delete)')
    .option('--json', 'one JSON event per entry, error and the summary (NDJSON) on stdout')
    .option('--summary', 'print counts, bytes and time to stderr at the end')
    .option('--summary-json', 'the same, as one JSON object on stderr (ioaio summary-merge adds up shards\' ones)')
    .option('--from-list <file>', "copy only the entries this list names (paths below src, or as treescan prints them: -0, lines or --json; '-': stdin); dst itself is the copy")
    .option('-0, --null', '--from-list ends each path with NUL, not newline')
    .option('--finalize', 'after all N shards (--shard I/N or --shard-count N): give the directories they shared the source\'s metadata; refused while a shard has not finished whole')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .addHelpText('after', `
Temporaries are named .ioaio-cp.<16 hex digits>; a run removes stale ones in
the destination directories it enters.`);
  return withHelp(addShardOptions(addProgressOptions(cmd), 'the tree (DST itself is then the copy, as with -T)'), {
    examples: [
      { line: 'cptree src /backup', note: 'copies to /backup/src when /backup is a directory' },
      { line: 'cptree -T src dst', note: 'dst is the copy (merged into if it exists)' },
      { line: 'cptree src /backup', note: 'the same again after kill -9 or a timeout: resumes /backup/src (a marker beside it says so)' },
      { line: 'cptree -n -u -T src dst', note: 'what a resume by hand (-u -T) would copy' },
      { line: 'cptree -T --delete -u src mirror', note: 'mirror: copy what changed, remove what src no longer has' },
    ],
    exits: standardExits('some entries failed, or the destination filled up (each reported on stderr)', [VANISHED_EXIT]),
  });
}

export function parseOptions(argv: string[], version: string): CptreeConfig | 'exit' {
  const cmd = parseCommand(cptreeCommand(version), argv);
  if (cmd === 'exit') return 'exit';
  const o = cmd.opts();
  if (!cmd.args[0] || !cmd.args[1]) throw new UsageError("'' is not a path");
  const [src, dst] = argsBytes(cmd.args) as [Buffer, Buffer];
  if (o.update && o.checksum) throw new UsageError('--update and --checksum exclude each other');
  // dst may not exist yet: its parent then tells the filesystem
  const remote = [src, existsSync(dst) ? dst : dirName(resolvePath(dst))].some((p) => isLatencyBound(p));
  const { jobs, auto } = resolveJobs(o.jobs, remote ? REMOTE_JOBS : LOCAL_JOBS);
  const summary = summaryMode(o);
  // --finalize needs only N: from --shard I/N, or --shard-count alone
  const { shard, finalize } = shardOrFinalize(o);
  // each shard's --delete would remove what another is copying in
  if (shard && (o.delete || o.deleteExcluded)) throw new UsageError('--shard and --delete exclude each other (for now: delete in a run of its own)');
  if (o.fromList !== undefined && (o.delete || o.deleteExcluded || o.exclude.length)) throw new UsageError('--from-list names what is copied: not with --delete or --exclude');
  if (o.null && o.fromList === undefined) throw new UsageError('-0 is for --from-list');
  return {
    src,
    dst,
    // shards must agree on where the copy goes, whichever made DST first
    target: o.merge || shard || finalize || o.fromList !== undefined ? 'merge' : 'into',
    reflink: o.reflink,
    fsync: !!o.fsync,
    update: !!o.update,
    checksum: !!o.checksum,
    dryRun: !!o.dryRun,
    xattrs: o.xattrs !== false,
    oneFileSystem: !!o.oneFileSystem,
    exclude: o.exclude,
    excludeGlobs: o.exclude,
    delete: o.deleteExcluded ? 'excluded' : o.delete ? 'extra' : undefined,
    jobs,
    auto,
    maxOutstanding: o.maxOutstanding ?? jobs * 4,
    fixedOutstanding: o.maxOutstanding !== undefined,
    // Where every operation waits on a server, a batch would wait its round
    // trips one after another on one thread: one name per request there.
    batch: remote ? 1 : 64,
    verbose: !!o.verbose,
    json: !!o.json,
    summary,
    progress: progressWhen(o),
    shard,
    finalize,
    fromList: o.fromList,
    null: !!o.null,
  };
}
