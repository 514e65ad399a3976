// ioaio: IO::AIO's model for Node.js over libeio. Re-exports only.
import * as composite from './composite/index.js';
import * as constants from './constants.js';
import * as dirent from './dirent.js';
import { major, makedev, minor } from './devno.js';
import { group, nice, pri, shutdown } from './issue.js';
import * as limits from './limits.js';
import * as syncfd from './syncfd.js';
import * as pool from './pool.js';
import * as fd from './requests/fd.js';
import * as copyfile from './requests/copyfile.js';
import * as misc from './requests/misc.js';
import * as ctl from './requests/ctl.js';
import * as mem from './requests/mem.js';
import * as mmapFamily from './requests/mmap.js';
import * as path from './requests/path.js';
import { statBatch } from './requests/statbatch.js';
import { statFormat } from './requests/statfmt.js';
import { dirHandle, wd } from './requests/wd.js';
import { CWD } from './wd.js';
import { adaptive } from './concurrency/index.js';

export { copyfileError, IoaioError } from './errors.js';
export { Group, type Feeder } from './group.js';
export type { Call } from './issue.js';
export { Req } from './req.js';
export { BigIntStats, Stats, StatVfs } from './stats.js';
export type { Callback, PathArg, ReqOptions } from './types.js';
export type { DirEntry, ReaddirxResult } from './dirent.js';
export type { Extent } from './requests/fd.js';
export { DirBatch } from './dirent.js';
export { CF_TEMP_PREFIX, LIST_DIRS, LIST_OTHERS, LIST_SLASH } from './native/kinds.js';
export { dirCacheClose, dirCacheOpen, StatBatch, statBatch, type StatCached } from './requests/statbatch.js';
export { ERR_EMPTY as STATFMT_ERR_EMPTY, ERR_NUL as STATFMT_ERR_NUL, fmtProgram, FMT_DEV_MAJOR, FMT_DEV_MINOR, FMT_NATIVE_DIRECTIVES, FMT_RDEV_MAJOR, FMT_RDEV_MINOR, StatLines, statFormat } from './requests/statfmt.js';
export { StepBuffers } from './requests/step.js';
export { WalkStep, walkClose, walkError, walkOpen, walkPending, walkPush, walkStep } from './requests/walk.js';
export { CopyBatch, type CopyfileResult } from './requests/copyfile.js';
export type { ScandirResult } from './composite/scandir.js';
export { rmEntryType, type RmEntryType, type RmtreeCounts, type RmtreeOptions, type RmtreeResult } from './composite/rmtree.js';
export type { MoveCall, MoveEntryAction, MoveResult, MoveTotals, MoveTreeOptions } from './composite/tree.js';
export { RmStep, rmClose, rmError, rmGlobMatch, rmGlobs, rmOpen, rmPending, rmPush, rmStep, rmStop, RM_DRY_RUN, RM_LINES, RM_REC_ERROR, RM_REC_LEFT, RM_REC_REMOVED, RM_XDEV } from './requests/rmstep.js';
export { CWD, Wd } from './wd.js';
export { ConcurrencyController, Governor, type AdaptiveOptions, type Change, type ChangeReason, type ConcurrencySummary, type ControllerOptions, type Sample } from './concurrency/index.js';

/** Every request and control function, as one namespace: `aio.stat(…)`. */
export const aio = {
  ...fd,
  ...path,
  ...copyfile,
  ...misc,
  ...ctl,
  ...mem,
  ...mmapFamily,
  ...composite,
  ...pool,
  ...limits,
  ...syncfd,
  ...constants,
  ...dirent,
  major,
  minor,
  makedev,
  statBatch,
  statFormat,
  wd,
  dirHandle,
  adaptive,
  CWD,
  group,
  pri,
  nice,
  shutdown,
};

export default aio;
