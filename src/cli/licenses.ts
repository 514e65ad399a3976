// `ioaio --licenses`: the licence texts of everything the program ships
// (dist/LICENSES.txt, made by scripts/licenses.mjs at build time; the single
// executable carries it as an asset and says so with setLicensesSource).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let source: () => string = () => {
  // the bundle is dist/bundle/ioaio.cjs, tsc's output dist/src/cli/licenses.js
  for (const rel of ['../LICENSES.txt', '../../LICENSES.txt', '../../dist/LICENSES.txt']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  throw new Error('LICENSES.txt is missing from this installation (npm run build makes it)');
};

/** Where the texts come from, for a host that carries them itself. */
export function setLicensesSource(f: () => string): void {
  source = f;
}

export function licensesText(): string {
  return source();
}
