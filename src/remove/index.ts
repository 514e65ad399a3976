// The tree removal engine: rmtree's, and mvtree's once a move is complete.
export { planRemoval, RefusalError, stripSlashes, type RemovalRoot } from './plan.js';
export { TreeRemover } from './tree-remover.js';
export { newRemoveCounters, removedCount, type RemoveAction, type RemoveCounters, type RemoveEvents, type RemoveOptions } from './types.js';
