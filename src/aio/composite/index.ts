export { scandir } from './scandir.js';
export { move } from './tree.js';
export { rmtree, type RmEntryType, type RmtreeCounts, type RmtreeOptions, type RmtreeResult } from './rmtree.js';
export { slurp, pathsync } from './file.js';
