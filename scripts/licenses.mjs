// dist/LICENSES.txt: every licence the shipped code comes under, printed by
// `ioaio --licenses` and carried by the npm package and the single
// executable: ioaio's own (LICENSE), libeio's (compiled into libioaio.so;
// its terms are the comment heading eio.h), and those of the npm packages
// whose code the bundles hold (from esbuild's metafile inputs) or that the
// executable embeds (koffi's addon).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LICENSES = join(ROOT, 'dist', 'LICENSES.txt');

/** The package a bundled input file belongs to (node_modules/[@scope/]name/…), or null. */
export function packageOf(input) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1] : null;
}

function licenceText(dir) {
  const f = readdirSync(dir).find((n) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(n));
  return f ? readFileSync(join(dir, f), 'utf8').trim() : null;
}

/** libeio's terms: the comment that heads eio.h, as it ships. */
function libeioTerms() {
  // where scripts/build-native.mjs keeps the libeio it fetched and verified
  const h = join(ROOT, 'native/.libeio/libeio/eio.h');
  const head = existsSync(h) ? /^\/\*([\s\S]*?)\*\//.exec(readFileSync(h, 'utf8')) : null;
  if (head) return head[1].split('\n').map((l) => l.replace(/^ ?\* ?/, '')).join('\n').trim();
  throw new Error('licenses: libeio\'s eio.h not found (run npm run build:native first)');
}

/** Writes dist/LICENSES.txt for these npm packages (names); returns its path. */
export function writeLicenses(packages) {
  const parts = [['ioaio', readFileSync(join(ROOT, 'LICENSE'), 'utf8').trim()], ['libeio (compiled into libioaio.so)', libeioTerms()]];
  for (const name of [...new Set(packages)].sort()) {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = licenceText(dir);
    if (!text) throw new Error(`licenses: ${name} ships no licence file (its package.json says ${pkg.license ?? 'nothing'})`);
    parts.push([`${name} ${pkg.version} (${pkg.license ?? 'see below'})`, text]);
  }
  const out = parts.map(([what, text]) => `==== ${what}\n\n${text}\n`).join('\n');
  writeFileSync(LICENSES, out);
  return LICENSES;
}
