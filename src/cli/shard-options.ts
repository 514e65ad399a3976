// --shard I/N|auto and --shard-count N, which every command takes
// (src/shard/: what a share is; docs/sharding.md: the recipes).
import { InvalidArgumentError, type Command } from 'commander';
import { resolveShard, ShardError, shardArg, type Shard } from '../shard/spec.js';
import { positiveInt, UsageError } from './command.js';

export function addShardOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--shard <I/N|auto>', `do shard I of N of ${what} (0 <= I < N; the N shares together are all of it, each once); auto: from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, PARALLEL_SEQ or IOAIO_SHARD_INDEX`, (v: string) => {
      try {
        return shardArg(v);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    })
    .option('--shard-count <n>', "N for --shard auto where the scheduler does not give it (Kubernetes, GNU parallel; or IOAIO_SHARD_COUNT)", positiveInt('--shard-count'));
}

/** The parsed options' shard, or undefined without --shard; a UsageError where it cannot be told. */
export function shardFrom(o: { shard?: string; shardCount?: number }, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  if (o.shard === undefined) {
    if (o.shardCount !== undefined) throw new UsageError('--shard-count needs --shard');
    return undefined;
  }
  try {
    return resolveShard(o.shard, o.shardCount, env);
  } catch (e) {
    if (e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
}

/** A command with --finalize: N for --finalize (from --shard I/N, or
 *  --shard-count alone), else the run's shard, if any. */
export function shardOrFinalize(o: { shard?: string; shardCount?: number; finalize?: boolean }, env: NodeJS.ProcessEnv = process.env): { shard: Shard | undefined; finalize: number | undefined } {
  if (!o.finalize) return { shard: shardFrom(o, env), finalize: undefined };
  const finalize = o.shard === undefined ? o.shardCount : shardFrom(o, env)?.count;
  if (finalize === undefined) throw new UsageError('--finalize needs the number of shards: --shard-count N (or --shard I/N)');
  return { shard: undefined, finalize };
}
