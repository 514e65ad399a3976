// Bundles the multi-call entry (src/cli/ioaio.ts) into one CommonJS file,
// dist/bundle/ioaio.cjs, which every bin/ shim requires; the live views
// (ink) are ES modules of their own beside it, imported only when shown.
//
// Perf: Node 20 then reads and compiles one file instead of ~60 modules, and
// a CommonJS program never starts Node's ES module loader: treescan on an
// empty directory took 17-20 ms less than with an ES module bundle (three
// alternating hyperfine pairs of 40 runs: 140-144 ms against 120-126 ms).
// The views stay ES modules because ink (and yoga-layout under it) use
// top-level await, which require() cannot load; importing ink costs ~0.8 s,
// so it happens only when a live view is shown. koffi (native), ink and
// react stay external.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageOf, writeLicenses } from './licenses.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const OUT = 'dist/bundle';
const VIEWS = ['ink-progress', 'ink-copy-progress', 'ink-remove-progress'];

/** commander's child_process, loaded only when used (scripts/stubs/). */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: join(process.cwd(), 'scripts/stubs/lazy-child-process.cjs') } : undefined,
    );
  },
};

/** The program's `import('./ink-progress.js')` becomes an import of the view's own ES module. */
const viewsApart = {
  name: 'views-apart',
  setup(b) {
    const re = new RegExp(`[\\\\/](${VIEWS.join('|')})\\.js$`);
    b.onResolve({ filter: re }, (args) => ({ path: `./${re.exec(args.path)[1]}.mjs`, external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['koffi', 'ink', 'react'],
  define: { __IOAIO_VERSION__: JSON.stringify(version) },
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

const results = await Promise.all([
  build({
    ...common,
    entryPoints: { ioaio: 'src/cli/ioaio.ts' },
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    minify: !process.env.IOAIO_NO_MINIFY,
    // The library finds build/native and koffi from its own file's URL.
    define: { ...common.define, 'import.meta.url': '__ioaioModuleUrl' },
    // __view: the views' import(), made by a file of its own (below).
    banner: { js: "const __ioaioModuleUrl = require('node:url').pathToFileURL(__filename).href;\nconst __view = (f) => require('./import-view.cjs')(f);" },
    plugins: [lazyChildProcess, viewsApart],
  }),
  build({
    ...common,
    entryPoints: Object.fromEntries(VIEWS.map((v) => [v, `src/ui/${v}.ts`])),
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
  }),
]);

// Drop what earlier builds wrote that this one did not (they would ship in
// the npm package). Only such files go, so a build running at the same time
// (tests) loses nothing it needs.
const written = new Set([...results.flatMap((r) => Object.keys(r.metafile.outputs)), join(OUT, 'import-view.cjs')]);
rmSync(join(OUT, 'chunks'), { recursive: true, force: true }); // the ES module build's, before this one
for (const f of readdirSync(OUT, { recursive: true })) {
  const p = join(OUT, String(f));
  if (/\.(c|m)?js(\.map)?$/.test(p) && !written.has(p)) rmSync(p, { force: true });
}

// bin/load-bundle.cjs compiles the bundle with vm.Script, to use V8's code
// cache, and Node 20 runs no import() in such code (not without an
// experimental flag or warning). So the views' import() calls become
// __view() calls (the same length: the source map stays right), and
// import-view.cjs, an ordinary module, imports them.
const BUNDLE = join(OUT, 'ioaio.cjs');
let code = readFileSync(BUNDLE, 'utf8');
const views = new RegExp(`\\bimport\\((?=["']\\./(?:${VIEWS.join('|')})\\.mjs["']\\))`, 'g');
code = code.replace(views, '__view(');
const left = code.match(/\bimport\(["'`]/);
if (left) throw new Error(`bundle: an import() other than the views' is left in ${BUNDLE}: ${code.slice(left.index, left.index + 60)}`);
writeFileSync(
  join(OUT, 'import-view.cjs'),
  "'use strict';\n// The bundle's import() of a live view (scripts/bundle.mjs says why it is here).\n" +
    "module.exports = (file) => import(require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href);\n",
);
// The bundle names a hash of its content on its last line; V8's code cache
// for it (scripts/code-cache.mjs) is used only with the bundle it names.
const { ID_PREFIX } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
code += `\n${ID_PREFIX}${createHash('sha256').update(code).digest('hex')}\n`;
writeFileSync(BUNDLE, code);
spawnSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: 'inherit' });

// The licences of what the bundles hold, plus koffi (the npm package needs
// it installed; the single executable embeds its addon) and the views'
// ink and react, which stay external here but ship in every install.
const bundled = results.flatMap((r) => Object.keys(r.metafile.inputs)).map(packageOf).filter(Boolean);
writeLicenses([...bundled, 'koffi', 'ink', 'react']);
