// The move engine: mvtree's (rename on one filesystem; across them, the copy
// engine, then the removal engine for what has been moved).
export { Mover } from './mover.js';
export { MoveRefusal, planMoves, type MoveJob, type TargetRule } from './plan.js';
export type { MoveCounters, MoveEvents, MoveOptions, MovePhases } from './types.js';
export { moveTotals, type MoveTotals } from './totals.js';
