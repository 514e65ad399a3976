// aio.move's tree half (src/aio/composite/tree.ts loads it on first use):
// one root moved onto its target (rename's rule: dst is the target itself)
// by the same engine and the same resume marker as mvtree, with the events
// turned into the library's callbacks.
import { constants } from 'node:os';
import { IoaioError } from '../aio/index.js';
import type { MoveResult, MoveTreeOptions } from '../aio/composite/tree.js';
import type { CopyEvents } from '../copy/index.js';
import { Mover } from './mover.js';
import { joinPath } from '../copy/paths.js';
import { MoveRefusal, planMoves } from './plan.js';
import { moveTotals } from './totals.js';
import type { MoveEvents } from './types.js';

const { ECANCELED } = constants.errno;

function events(o: MoveTreeOptions, failed: (IoaioError | Error)[]): MoveEvents {
  const onEntry = o.onEntry;
  const error = (path: Buffer, err: IoaioError | Error) => {
    failed.push(err);
    o.onError?.(err, path);
  };
  const copy = (root: Buffer): CopyEvents => ({
    wantsEntries: !!onEntry,
    entry: (action, _type, rel) => onEntry!(action, rel.length ? joinPath(root, rel) : root),
    error,
    vanished: (path) => onEntry?.('vanished', path),
  });
  return {
    wantsEntries: !!onEntry,
    renamed: (_src, dst) => onEntry!('rename', dst),
    kept: (src) => onEntry!('keep', src),
    error,
    copy,
    remove: { wantsEntries: !!onEntry, entry: (action, _type, path) => onEntry!(action, path), error, left: () => {} },
  };
}

export async function moveTree(src: Buffer, dst: Buffer, o: MoveTreeOptions): Promise<MoveResult> {
  let jobs;
  try {
    jobs = planMoves([src], dst, 'self');
  } catch (e) {
    if (!(e instanceof MoveRefusal)) throw e;
    throw new IoaioError({ errno: e.errno, syscall: 'move', path: src.toString(), dest: dst.toString(), message: e.message });
  }
  const failed: (IoaioError | Error)[] = [];
  const jobsN = o.jobs ?? 4;
  const mover = new Mover(jobs, {
    noClobber: !!o.noClobber,
    newer: !!o.newer,
    merge: !!o.merge,
    dryRun: !!o.dryRun,
    exclude: [...(o.exclude ?? [])],
    oneFileSystem: !!o.oneFileSystem,
    sync: o.sync ?? true,
    xattrs: o.xattrs ?? true,
    jobs: jobsN,
    maxOutstanding: o.maxOutstanding ?? jobsN * 4,
    batch: 64,
  }, events(o, failed));
  const abort = () => mover.stop();
  if (o.signal?.aborted) throw cancelled(src);
  o.signal?.addEventListener('abort', abort, { once: true });
  const timer = o.onProgress && setInterval(() => o.onProgress!(moveTotals(mover.counters)), o.progressMs ?? 250);
  try {
    await mover.run();
  } finally {
    if (timer) clearInterval(timer);
    o.signal?.removeEventListener('abort', abort);
  }
  if (mover.interrupted) throw cancelled(src);
  // The one root's target could not take the tree: nothing moved, an error.
  if (mover.refused) throw mover.refused;
  const totals = moveTotals(mover.counters);
  o.onProgress?.(totals);
  const r: MoveResult = { ...totals, failed };
  if (mover.fatal) r.fatal = mover.fatal as IoaioError;
  return r;
}

function cancelled(src: Buffer): IoaioError {
  return new IoaioError({ errno: ECANCELED, syscall: 'move', path: src.toString() });
}
