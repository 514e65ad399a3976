// --shard's value and the schedulers' environments: which share a process
// takes, and a clear message where none can be told.
import { describe, expect, it } from 'vitest';
import { pathHash, shardOf } from '../../src/shard/hash.js';
import { resolveShard, ShardError, shardArg } from '../../src/shard/spec.js';

describe('--shard', () => {
  it('takes I/N with 0 <= I < N', () => {
    expect(resolveShard('2/4', undefined, {})).toEqual({ index: 2, count: 4, from: '--shard' });
    expect(resolveShard('0/1', undefined, {})).toMatchObject({ index: 0, count: 1 });
    expect(() => resolveShard('4/4', undefined, {})).toThrow(/shard index 4 is not in 0\.\.3/);
    expect(() => resolveShard('0/0', undefined, {})).toThrow(/positive integer/);
    expect(() => shardArg('1-4')).toThrow(ShardError);
    expect(() => shardArg('a/b')).toThrow(/I\/N/);
    expect(() => resolveShard('1/4', 3, {})).toThrow(/disagree/);
  });

  it('reads a Slurm job array (contiguous, offset, stepped) and refuses an uneven one', () => {
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4, from: 'SLURM_ARRAY_TASK_ID' });
    // --array=1-8: index from the minimum
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toMatchObject({ index: 0, count: 8 });
    // --array=0-9:3 is 0,3,6,9
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '9', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 2, count: 4 });
    // --array=0,2,5: not evenly spaced
    expect(() => resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/SLURM_ARRAY_TASK_ID=5 is not a task of an evenly spaced array/);
  });

  it('reads a Kubernetes Indexed Job and GNU parallel, with the count given', () => {
    expect(resolveShard('auto', 5, { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5, from: 'JOB_COMPLETION_INDEX' });
    expect(resolveShard('auto', undefined, { JOB_COMPLETION_INDEX: '1', IOAIO_SHARD_COUNT: '2' })).toMatchObject({ index: 1, count: 2 });
    expect(() => resolveShard('auto', undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/gives the index but not the count: add --shard-count N/);
    // GNU parallel counts its jobs from 1
    expect(resolveShard('auto', 4, { PARALLEL_SEQ: '1' })).toMatchObject({ index: 0, count: 4, from: 'PARALLEL_SEQ' });
    expect(() => resolveShard('auto', 4, { PARALLEL_SEQ: '5' })).toThrow(/not in 0\.\.3/);
    // our own variables win over a scheduler's
    expect(resolveShard('auto', undefined, { IOAIO_SHARD_INDEX: '0', IOAIO_SHARD_COUNT: '3', SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 0, count: 3, from: 'IOAIO_SHARD_INDEX' });
  });

  it('says what it looked for when the environment has no index', () => {
    expect(() => resolveShard('auto', undefined, {})).toThrow(/no shard index in the environment \(looked for IOAIO_SHARD_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or PARALLEL_SEQ\)/);
    expect(() => resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: 'x' })).toThrow(/SLURM_ARRAY_TASK_ID=x is not a non-negative integer/);
  });
});

describe('the path hash', () => {
  it('is fixed: the same bytes give the same shard on every host and in every version', () => {
    // pinned values: a change here re-deals every existing shard's share
    expect(pathHash(Buffer.from(''))).toBe(pathHash(Buffer.alloc(0)));
    expect([pathHash(Buffer.from('a')), pathHash(Buffer.from('d0/e1/f2'))]).toEqual([pathHash(Buffer.from('xa'), 1), pathHash(Buffer.from('/d0/e1/f2/'), 1, 9)]);
    // FNV-1a then murmur3's fmix32, computed by hand in Python
    expect(pathHash(Buffer.from('usr/share/doc'))).toBe(3488809250);
  });

  it('spreads names that differ only at their end evenly', () => {
    const n = 4;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < 40_000; i++) counts[shardOf(Buffer.from(`dir/file${i}`), n)]!++;
    const mean = 10_000;
    for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.03);
  });
});
