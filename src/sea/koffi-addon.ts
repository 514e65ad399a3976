// koffi for the single executable: its prebuilt addon, out of the
// executable, loaded directly (as src/aio/native/koffi-loader.ts does from
// node_modules), so koffi's JavaScript entry is not bundled at all.
import { extractAsset } from './assets.js';

type Koffi = typeof import('koffi');

export function koffiAddon(): Koffi {
  const module = { exports: {} as Koffi & { version?: unknown } };
  process.dlopen(module, extractAsset('koffi.node'));
  if (typeof module.exports.load !== 'function') throw new Error('ioaio: the embedded koffi.node is not koffi');
  return module.exports;
}
