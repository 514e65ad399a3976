// `npm run package`: builds dist/ioaio-linux-x64, one file that runs ioaio
// and every command with no node_modules, compiler or libeio beside it.
// Node's own single-executable flow, offline with the local node (pkg
// downloads a base binary and fails here; see docs/install.md, "Single executable"):
//   1. esbuild bundles src/sea/main.ts to one CommonJS file;
//   2. node --experimental-sea-config makes the blob, with koffi's addon and
//      libioaio.so as assets and a V8 code cache;
//   3. a copy of this node binary gets the blob injected with postject.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'dist/sea');
const OUT = resolve(ROOT, process.env.IOAIO_SEA_OUT ?? 'dist/ioaio-linux-x64');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('npm run package builds the linux-x64 executable only, on linux-x64');

const lib = join(ROOT, 'build/native/libioaio.so');
if (!existsSync(lib)) execFileSync(process.execPath, [join(ROOT, 'scripts/build-native.mjs')], { stdio: 'inherit' });
const koffiNode = join(dirname(require.resolve('@koromix/koffi-linux-x64/package.json', { paths: [dirname(require.resolve('koffi'))] })), 'linux_x64/koffi.node');
const licenses = join(ROOT, 'dist/LICENSES.txt'); // scripts/licenses.mjs, run by the bundle step
if (!existsSync(licenses)) execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT, stdio: 'inherit' });
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

// The live views: ES modules with ink, react and yoga inside (their
// top-level await cannot go into the CommonJS bundle), carried as assets;
// at the first view shown, src/sea/main.ts writes one out beside the native
// files and imports it through import-view.cjs, a module loaded from disk
// (the embedded script itself can import built-ins only).
const VIEWS = ['ink-progress', 'ink-copy-progress', 'ink-remove-progress'];
await build({
  entryPoints: Object.fromEntries(VIEWS.map((v) => [v, join(ROOT, `src/ui/${v}.ts`)])),
  outdir: WORK,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ink loads react-devtools-core only with DEV=true; nothing to find it in here
  alias: { 'react-devtools-core': join(ROOT, 'scripts/stubs/react-devtools-core.mjs') },
  // the CommonJS packages inside (react) require() Node's built-ins
  banner: { js: "import { createRequire as __ioaioCreateRequire } from 'node:module'; const require = __ioaioCreateRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"', __IOAIO_VERSION__: JSON.stringify(version) },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(WORK, 'import-view.cjs'), "'use strict';\nmodule.exports = (file) => import(require('node:url').pathToFileURL(file).href);\n");

const assets = {
  'koffi.node': koffiNode,
  'libioaio.so': lib,
  'LICENSES.txt': licenses,
  'import-view.cjs': join(WORK, 'import-view.cjs'),
  ...Object.fromEntries(VIEWS.map((v) => [`${v}.mjs`, join(WORK, `${v}.mjs`)])),
};
const info = Object.fromEntries(
  Object.entries(assets).map(([name, file]) => {
    const data = readFileSync(file);
    return [name, { sha256: createHash('sha256').update(data).digest('hex'), size: data.length }];
  }),
);

await build({
  entryPoints: [join(ROOT, 'src/sea/main.ts')],
  outfile: join(WORK, 'ioaio.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: {
    __IOAIO_VERSION__: JSON.stringify(version),
    // src/ui/*progress.ts: the views come from the assets (sea-import.ts)
    __IOAIO_SEA__: 'true',
    __IOAIO_ASSETS__: JSON.stringify(info),
    // The code's own location is the executable.
    'import.meta.url': '__ioaioSeaUrl',
  },
  banner: { js: "var __ioaioSeaUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

/** Runs node with args; its output is shown only if it fails. */
function quiet(what, args) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (status ${r.status}):\n${r.stdout}${r.stderr}`);
}

const config = join(WORK, 'sea-config.json');
writeFileSync(
  config,
  JSON.stringify({
    main: join(WORK, 'ioaio.cjs'),
    output: join(WORK, 'ioaio.blob'),
    disableExperimentalSEAWarning: true,
    // Perf: V8 compiles the bundle at build time instead of at every start.
    useCodeCache: true,
    assets,
  }),
);
quiet('node --experimental-sea-config', ['--experimental-sea-config', config]);

mkdirSync(dirname(OUT), { recursive: true });
rmSync(OUT, { force: true });
copyFileSync(process.execPath, OUT);
chmodSync(OUT, 0o755);
// postject's ELF library warns about every .note section of node's binary
// (harmless noise): its output is shown only when it fails.
const postject = join(dirname(require.resolve('postject')), 'cli.js');
quiet('postject', [postject, OUT, 'NODE_SEA_BLOB', join(WORK, 'ioaio.blob'), '--sentinel-fuse', FUSE]);
console.error(`ioaio: built ${OUT} (node ${process.version}, ioaio ${version})`);
