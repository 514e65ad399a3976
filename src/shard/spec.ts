// --shard I/N and --shard auto: which share of the work this process does.
// auto reads the index (and the count, where the scheduler gives it) from
// the environment of a Slurm job array, a Kubernetes Indexed Job, GNU
// parallel, or our own IOAIO_SHARD_INDEX/IOAIO_SHARD_COUNT; it says which
// variable it used, and fails with the list of those it looked for.

export interface Shard {
  /** 0 <= index < count */
  index: number;
  count: number;
  /** where the index came from: '--shard', or an environment variable's name */
  from: string;
}

export class ShardError extends Error {}

const SPEC = /^(\d+)\/(\d+)$/;

/** A shard's name in summaries and markers: '2of4'. */
export function shardTag(shard: { index: number; count: number }): string {
  return `${shard.index}of${shard.count}`;
}

/** Checks --shard's syntax (commander's parser): 'auto' or I/N. */
export function shardArg(v: string): string {
  if (v === 'auto' || SPEC.test(v)) return v;
  throw new ShardError(`--shard must be I/N (0 <= I < N) or 'auto', got '${v}'`);
}

/** The shard of --shard's value, with --shard-count's (or undefined). */
export function resolveShard(arg: string, count: number | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = SPEC.exec(arg);
  if (m) {
    const index = Number(m[1]), n = Number(m[2]);
    if (count !== undefined && count !== n) throw new ShardError(`--shard ${arg} and --shard-count ${count} disagree`);
    return checked(index, n, '--shard');
  }
  if (arg !== 'auto') throw new ShardError(`--shard must be I/N (0 <= I < N) or 'auto', got '${arg}'`);
  return fromEnv(count, env);
}

function checked(index: number, count: number, from: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1) throw new ShardError(`${from}: the count must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new ShardError(`${from}: shard index ${index} is not in 0..${count - 1}`);
  return { index, count, from };
}

/** An integer environment variable, or undefined when unset. */
function int(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new ShardError(`${name}=${v} is not a non-negative integer`);
  return Number(v);
}

const LOOKED_FOR = 'IOAIO_SHARD_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PARALLEL_SEQ';

function fromEnv(count: number | undefined, env: NodeJS.ProcessEnv): Shard {
  const given = count ?? int(env, 'IOAIO_SHARD_COUNT');
  const need = (name: string, index: number): Shard => {
    if (given === undefined) throw new ShardError(`--shard auto: ${name}=${env[name]} gives the index but not the count: add --shard-count N (or set IOAIO_SHARD_COUNT)`);
    return checked(index, given, name);
  };
  const own = int(env, 'IOAIO_SHARD_INDEX');
  if (own !== undefined) return need('IOAIO_SHARD_INDEX', own);
  const task = int(env, 'SLURM_ARRAY_TASK_ID');
  if (task !== undefined) {
    // a job array --array=A-B[:S]: index (ID - MIN) / STEP of COUNT tasks
    const min = int(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = int(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const max = int(env, 'SLURM_ARRAY_TASK_MAX');
    const n = given ?? int(env, 'SLURM_ARRAY_TASK_COUNT') ?? (max !== undefined ? Math.floor((max - min) / Math.max(1, step)) + 1 : undefined);
    if (n === undefined) throw new ShardError('--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX: add --shard-count N');
    const off = task - min;
    if (step < 1 || off < 0 || off % step !== 0 || off / step >= n) {
      throw new ShardError(`--shard auto: SLURM_ARRAY_TASK_ID=${task} is not a task of an evenly spaced array (min ${min}, step ${step}, ${n} tasks): use --shard I/N`);
    }
    return checked(off / step, n, 'SLURM_ARRAY_TASK_ID');
  }
  const k8s = int(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) return need('JOB_COMPLETION_INDEX', k8s);
  const seq = int(env, 'PARALLEL_SEQ');
  if (seq !== undefined) {
    // GNU parallel numbers its jobs from 1
    if (seq < 1) throw new ShardError(`PARALLEL_SEQ=${seq}: GNU parallel's sequence numbers start at 1`);
    return need('PARALLEL_SEQ', seq - 1);
  }
  throw new ShardError(`--shard auto: no shard index in the environment (looked for ${LOOKED_FOR})`);
}
