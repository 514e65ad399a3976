// Bundles the multi-call entry (src/cli/ioaio.ts) into dist/bundle/ioaio.mjs,
// which every bin/ shim loads; each registered command is a chunk of its own,
// loaded when chosen. Perf: Node 20 then reads and links a few files instead
// of ~60 modules, which is most of a command's start-up time on an empty
// directory. koffi (native), ink and react (imported only for the live view)
// stay external.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** commander's child_process, loaded only when used (scripts/stubs/). */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: join(process.cwd(), 'scripts/stubs/lazy-child-process.cjs') } : undefined,
    );
  },
};

const results = await Promise.all(
  ['ioaio'].map((entry) =>
    build({
      entryPoints: { [entry]: 'src/cli/ioaio.ts' },
      outdir: 'dist/bundle',
      outExtension: { '.js': '.mjs' },
      // Splitting keeps the lazy import of the ink view a chunk of its own;
      // without it esbuild folds it in and every run loads ink (~0.8 s).
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['koffi', 'ink', 'react'],
      define: { __IOAIO_VERSION__: JSON.stringify(version) },
      // CommonJS dependencies (commander) call require() for Node built-ins.
      banner: { js: "import { createRequire as __ioaioRequire } from 'node:module'; const require = __ioaioRequire(import.meta.url);" },
      sourcemap: true,
      metafile: true,
      plugins: [lazyChildProcess],
      logLevel: 'warning',
    }),
  ),
);

// Chunk names carry content hashes: drop the chunks of earlier builds (they
// would ship in the npm package). Only files this build did not write go,
// so a build running at the same time (tests) loses nothing it needs.
const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)));
for (const f of readdirSync('dist/bundle', { recursive: true })) {
  const p = join('dist/bundle', String(f));
  if (/\.mjs(\.map)?$/.test(p) && !written.has(p)) rmSync(p, { force: true });
}
