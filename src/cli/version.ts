import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bundles (scripts/bundle.mjs, scripts/sea.mjs) define this at build time:
// the single executable has no package.json to read, and --version answers
// sooner without a file read.

/** The package's version: built in, or from the package.json above this file. */
export function packageVersion(): string {
  if (typeof __IOAIO_VERSION__ === 'string') return __IOAIO_VERSION__;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ioaio' && pkg.version) return pkg.version;
    } catch {
      /* not here; keep going up */
    }
  }
  return '0.0.0';
}
