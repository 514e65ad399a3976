// argv -> MvtreeConfig. The parser knows nothing of moving (house rule 3).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { parseCommand, positiveInt, summaryMode, UsageError } from '../../cli/command.js';
import { jobsArg, jobsHelp, resolveJobs } from '../../cli/jobs.js';
import { isLatencyBound, LOCAL_JOBS, REMOTE_JOBS } from '../../cli/fs-kind.js';
import { standardExits, VANISHED_EXIT, withHelp } from '../../cli/help.js';
import { addProgressOptions, progressWhen } from '../../cli/progress-options.js';
import { argBytes, argsBytes } from '../../cli/raw-argv.js';
import { addShardOptions, shardOrFinalize } from '../../cli/shard-options.js';
import type { MvtreeConfig } from './config.js';

export function mvtreeCommand(version: string): Command {
  const cmd = new Command('mvtree')
    .description(
      'Move directory trees like mv: one rename on the same filesystem; across filesystems a parallel copy (as cptree), made durable, then the source removed (as rmtree), each entry only once its copy is whole. Running the same command again resumes an interrupted move.',
    )
    .argument('[paths...]', 'SRC... DEST (or, with -t DIR, SRC...)')
    .option('-t, --target-directory <dir>', 'move every SRC into DIR')
    .option('-T, --no-target-directory', 'DEST is the target itself, never DEST/basename(SRC)')
    .option('-f, --force', 'replace existing destination entries (the default)')
    .option('-n, --no-clobber', 'never replace an existing destination entry (the source entry stays)')
    .option('-u, --update', 'replace an existing destination entry only with a newer source (else the source entry stays)')
    .option('--merge', 'merge into an existing destination directory entry by entry (mv would say "Directory not empty")')
    .option('--exclude <glob>', 'entries matching glob stay in SRC, and so do their directories (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-x, --one-file-system', 'across filesystems: what is below mount points in SRC stays there (the mount points are made empty)')
    .option('--no-sync', 'across filesystems: do not make the destination durable before removing the source (scratch data)')
    .option('--no-xattrs', 'across filesystems: do not copy extended attributes')
    .option('--from-list <file>', "move only the entries this list names below SRC, each to the same path below DEST (paths below SRC, or as treescan prints them: -0, lines or --json; '-': stdin); a directory is made, and its source removed once empty")
    .option('-0, --null', '--from-list ends each path with NUL, not newline')
    .option('--finalize', 'after all N shards of a move (--shard I/N or --shard-count N): the directories\' metadata, and their sources removed once empty; refused while a shard has not finished whole')
    .option('--dry-run', 'print what would be done; change nothing')
    .option('-j, --jobs <n|auto>', jobsHelp('when a SRC or DEST is on a network filesystem'), jobsArg)
    .option('--max-outstanding <n>', 'requests in flight at most (default: 4 x jobs)', positiveInt('--max-outstanding'))
    .option('-v, --verbose', 'print each entry as it is done: rename SRC -> DST, or copy/mkdir/link PATH then remove/rmdir PATH across filesystems')
    .option('--json', 'one JSON event per entry, error and the summary (NDJSON) on stdout')
    .option('--summary', 'print counts and time to stderr at the end')
    .option('--summary-json', 'the same, as one JSON object on stderr (ioaio summary-merge adds up shards\' ones)')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .addHelpText('after', `
Across filesystems, a marker beside the target (.ioaio-resume.<hash>) names
SRC by device and inode until SRC is gone; the same command line run again
after kill -9, a power cut or ENOSPC finds it and finishes the move.`);
  return withHelp(addShardOptions(addProgressOptions(cmd), 'SRC\'s entries (or a --from-list list\'s), each to the same path below DEST; then, once, --finalize'), {
    examples: [
      { line: 'mvtree results /mnt/archive', note: 'moves to /mnt/archive/results; resumable across filesystems' },
      { line: 'mvtree -t /mnt/archive a b c', note: 'several trees into one directory' },
      { line: 'mvtree --merge -n new/ old', note: 'merge into an existing tree, replacing nothing' },
      { line: 'mvtree --dry-run -v src /other/fs/dst', note: 'what that would do' },
      { line: 'treescan -0 /lustre/run7 > run7.list; mvtree --shard auto -0 --from-list run7.list /lustre/run7 /archive/run7', note: 'one share of the list in each job of an array; then, once: mvtree --finalize --shard-count N /lustre/run7 /archive/run7' },
    ],
    exits: standardExits('some entries could not be moved (they stay in SRC), or the destination filled up', [VANISHED_EXIT]),
  });
}

export function parseOptions(argv: string[], version: string): MvtreeConfig | 'exit' {
  const cmd = parseCommand(mvtreeCommand(version), argv);
  if (cmd === 'exit') return 'exit';
  const o = cmd.opts();
  const paths = argsBytes(cmd.args);
  if (paths.some((p) => p.length === 0)) throw new UsageError("'' is not a path");
  const selfTarget = o.targetDirectory === false; // -T (commander's --no-target-directory)
  const intoDir = typeof o.targetDirectory === 'string' ? argBytes(o.targetDirectory) : undefined;
  if (intoDir && o.targetDirectory === '') throw new UsageError("'' is not a path");
  const srcs = intoDir ? paths : paths.slice(0, -1);
  const dest = intoDir ?? paths[paths.length - 1];
  if (!dest || srcs.length === 0) throw new UsageError(intoDir ? 'missing SRC' : 'missing SRC or DEST');
  if (o.clobber === false && o.update) throw new UsageError('--no-clobber and --update exclude each other');
  const summary = summaryMode(o);
  if (o.null && o.fromList === undefined) throw new UsageError('-0 is for --from-list');
  // --finalize needs only N: from --shard I/N, or --shard-count alone
  const { shard, finalize } = shardOrFinalize(o);
  if (o.fromList !== undefined || finalize !== undefined || shard) {
    const what = o.fromList !== undefined ? '--from-list' : finalize !== undefined ? '--finalize' : '--shard';
    if (paths.length !== 2 || intoDir) throw new UsageError(`${what} takes SRC and DEST: each entry below SRC goes to the same path below DEST`);
    if (o.merge || o.exclude.length || o.oneFileSystem) throw new UsageError(`${what} moves entries below SRC into DEST, merging: not with --merge, --exclude or -x (for now)`);
  }
  const destFs = existsSync(dest) ? dest.toString() : dirname(resolve(dest.toString()));
  const remote = [...srcs, Buffer.from(destFs)].some((p) => isLatencyBound(p));
  const { jobs, auto } = resolveJobs(o.jobs, remote ? REMOTE_JOBS : LOCAL_JOBS);
  return {
    srcs,
    dest,
    rule: selfTarget ? 'self' : intoDir ? 'into' : 'auto',
    noClobber: o.clobber === false,
    newer: !!o.update,
    merge: !!o.merge,
    dryRun: !!o.dryRun,
    exclude: o.exclude,
    oneFileSystem: !!o.oneFileSystem,
    sync: o.sync !== false,
    xattrs: o.xattrs !== false,
    jobs,
    auto,
    maxOutstanding: o.maxOutstanding ?? jobs * 4,
    fixedOutstanding: o.maxOutstanding !== undefined,
    // as cptree: one name per request where every operation waits on a server
    batch: remote ? 1 : 64,
    verbose: !!o.verbose,
    json: !!o.json,
    summary,
    progress: progressWhen(o),
    fromList: o.fromList,
    null: !!o.null,
    shard,
    finalize,
  };
}
