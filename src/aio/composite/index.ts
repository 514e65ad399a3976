export { scandir } from './scandir.js';
export { move, rmtree } from './tree.js';
export { slurp, pathsync } from './file.js';
