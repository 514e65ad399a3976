// Peer for rmtree: Node's own recursive removal, as a script would call it.
//   node bench/lib/fsp-rm.mjs PATH...
// Each PATH goes through fs.promises.rm(p, { recursive: true, force: true })
// (libuv's pool, UV_THREADPOOL_SIZE threads), one after another.
import { rm } from 'node:fs/promises';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write('usage: node bench/lib/fsp-rm.mjs PATH...\n');
  process.exit(2);
}
for (const p of paths) await rm(p, { recursive: true, force: true });
