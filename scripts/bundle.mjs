// Bundles each command into one ES module (dist/bundle/<cmd>.mjs), which
// the bin/ shims load. Perf: Node 20 then reads and links one file instead of
// ~60 modules, which is most of a command's start-up time on an empty
// directory. koffi (native), ink and react (imported only for the live view)
// stay external.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const commands = ['treescan', 'pstat', 'cptree'];

// Chunk names carry a hash: old ones would pile up (and ship) otherwise.
rmSync('dist/bundle', { recursive: true, force: true });

await Promise.all(
  commands.map((cmd) =>
    build({
      entryPoints: { [cmd]: `src/commands/${cmd}/main.ts` },
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
      // CommonJS dependencies (commander) call require() for Node built-ins.
      banner: { js: "import { createRequire as __ioaioRequire } from 'node:module'; const require = __ioaioRequire(import.meta.url);" },
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
);
