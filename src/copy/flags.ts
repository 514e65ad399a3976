// CopyOptions -> copyfile's flags, decided once per run.
import { aio } from '../aio/index.js';
import type { CopyOptions } from './types.js';

const REFLINK = { never: aio.CF_REFLINK_NEVER, auto: aio.CF_REFLINK_AUTO, always: aio.CF_REFLINK_ALWAYS } as const;

export function copyFlags(o: CopyOptions): number {
  return (
    REFLINK[o.reflink] |
    (o.fsync ? aio.CF_FSYNC : 0) |
    (o.xattrs ? aio.CF_XATTRS : 0) |
    (o.update ? aio.CF_UPDATE : 0) |
    (o.checksum ? aio.CF_CHECKSUM : 0) |
    (o.dryRun ? aio.CF_DRY_RUN : 0) |
    (o.noClobber ? aio.CF_NO_CLOBBER : 0) |
    (o.newer ? aio.CF_NEWER : 0)
  );
}
