// Bundles each command into one ES module (dist/bundle/<cmd>.mjs), which
// the bin/ shims load. Perf: Node 20 then reads and links one file instead of
// ~60 modules, which is most of a command's start-up time on an empty
// directory. koffi (native), ink and react (imported only for the live view)
// stay external.
import { build } from 'esbuild';

const commands = ['treescan'];

await Promise.all(
  commands.map((cmd) =>
    build({
      entryPoints: [`src/commands/${cmd}/main.ts`],
      outfile: `dist/bundle/${cmd}.mjs`,
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
