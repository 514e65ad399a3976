// koffi's native addon for the single executable. scripts/sea.mjs points
// koffi's `require('@koromix/koffi-linux-x64')` here: instead of a file next
// to koffi in node_modules, the addon comes out of the executable.
import { extractAsset } from './assets.js';

export function koffiAddon(): unknown {
  const module = { exports: {} as unknown };
  process.dlopen(module, extractAsset('koffi.node'));
  return module.exports;
}
