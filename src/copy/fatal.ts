// Errors after which no new copy may start: the destination is full, every
// further file would fail the same way (and half-written ones cost space).
import { constants } from 'node:os';

const { ENOSPC, EDQUOT } = constants.errno;

export function stopsNewWork(err: { errno?: number }): boolean {
  return err.errno === ENOSPC || err.errno === EDQUOT;
}
