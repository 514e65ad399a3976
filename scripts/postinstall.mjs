// npm postinstall of the published package. The tarball carries a prebuilt
// build/native/libioaio.so for linux-x64 with glibc >= 2.34; where that does
// not load (another CPU, musl, an older glibc) this builds it from the
// shipped native/src with scripts/build-native.mjs (needs cc, and libeio's
// source: LIBEIO_SRC or Debian's apt-get source). A failed build fails the
// install, with the reason: nothing in ioaio works without the library.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (msg) => process.stderr.write(`ioaio: ${msg}\n`);

// A clone of the repository: `prepare` builds everything there.
if (existsSync(join(ROOT, 'src'))) process.exit(0);

try {
  const { loadNative } = await import('../dist/src/aio/native/binding.js');
  loadNative();
  process.exit(0);
} catch (e) {
  log(`the prebuilt libioaio.so does not load here (${e.message.split('\n')[0]}); building it from native/src`);
}

const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-native.mjs'), '--force'], { stdio: 'inherit' });
if (r.status !== 0) {
  log('could not build libioaio.so (see above). Install a C compiler (Debian: gcc) and either set LIBEIO_SRC to a libeio');
  log('source directory or let apt-get fetch it (needs root), then run: npm rebuild ioaio');
  process.exit(1);
}
