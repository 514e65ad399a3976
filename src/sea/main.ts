// The single executable's entry point (bundled to CommonJS by
// scripts/sea.mjs). It tells the library where koffi and libioaio.so come
// from, then runs as ioaio, or as the command its link is named after.
import { setNativeSource } from '../aio/native/binding.js';
import { createRequire } from 'node:module';
import { getAsset } from 'node:sea';
import { run } from '../cli/ioaio.js';
import { setLicensesSource } from '../cli/licenses.js';
import { extractAsset } from './assets.js';
import { koffiAddon } from './koffi-addon.js';

setLicensesSource(() => getAsset('LICENSES.txt', 'utf8'));
// A live view: written out once (as the native files are) and imported from
// there by import-view.cjs, an ordinary module; src/ui/sea-import.ts calls this.
(globalThis as { __ioaioSeaImport?: (asset: string) => Promise<unknown> }).__ioaioSeaImport = (asset) => {
  const importFrom = createRequire(process.execPath)(extractAsset('import-view.cjs')) as (file: string) => Promise<unknown>;
  return importFrom(extractAsset(asset));
};
setNativeSource({
  library: () => extractAsset('libioaio.so'),
  // Perf: koffi's addon loads at the first request, not at start-up.
  koffi: koffiAddon,
});

// process.argv0 is the name the program was started by (a link's name);
// argv[1] is the executable's own path here.
run(undefined, process.argv.slice(2), process.argv0);
