// The move engine: mvtree's (rename on one filesystem; across them, the copy
// engine, then the removal engine for what has been moved).
export { Mover } from './mover.js';
export { MoveRefusal, planListMove, planMoves, type MoveJob, type TargetRule } from './plan.js';
export { ListMover } from './list-mover.js';
export { journalPath, readJournals, removeJournals } from './dir-journal.js';
export type { MoveCounters, MoveEvents, MoveOptions, MovePhases } from './types.js';
export { moveTotals, type MoveTotals } from './totals.js';
