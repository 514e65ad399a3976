// Examples import the built library from this checkout; an installed package
// would `import { aio } from 'ioaio'`.
import lib from '../dist/src/aio/index.js';
export const aio = lib;
export const { READDIR_DIRS_FIRST } = lib;
