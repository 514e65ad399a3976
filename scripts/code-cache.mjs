// Writes dist/bundle/ioaio.cjs.cache: V8's code cache for the bundle, taken
// at the end of a training run (pstat over a few of the package's files), so
// that it holds the bytecode of the functions a command runs, not only the
// bundle's top level (bin/load-bundle.cjs says what it saves and how a cache
// is matched to its bundle). Run by scripts/bundle.mjs; a run that fails
// leaves no cache, and the commands then compile as before.
//
//   node scripts/code-cache.mjs          make the cache (a child process trains)
//   node scripts/code-cache.mjs --train  the training run itself
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist/bundle/ioaio.cjs');
const CACHE = `${BUNDLE}.cache`;

if (process.argv[2] === '--train') {
  const { loadBundle } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
  const tmp = `${CACHE}.tmp-${process.pid}`;
  // Written at exit, atomically: commands may be starting meanwhile (tests).
  const program = loadBundle(BUNDLE, (header, data) => {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), data]));
    renameSync(tmp, CACHE);
  });
  const files = ['package.json', 'bin/start.cjs', 'bin/load-bundle.cjs', 'README.md'].map((f) => join(ROOT, f));
  program.run('pstat', ['-c', '%s %n', ...files], 'pstat');
} else {
  rmSync(CACHE, { force: true });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--train'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(CACHE, { force: true });
    process.stderr.write(`ioaio: no code cache for the bundle (the training run failed, status ${r.status}): ${r.stderr.trim()}\n`);
  }
}
