// fdir as a scanning peer: node bench/lib/fdir-scan.mjs [--print] DIR
// Crawls DIR with fdir (npm, the fastest pure-JS crawler: fs.readdir with
// file types on libuv's pool, UV_THREADPOOL_SIZE threads) and prints the
// number of paths it returned, or with --print every path, one a line, as
// the other scanners do. withDirs() makes it return directories too (with a
// trailing '/'), the root included, so its count matches find's.
import { fdir } from 'fdir';

const args = process.argv.slice(2);
const print = args[0] === '--print';
const dir = args[print ? 1 : 0];
if (!dir) {
  process.stderr.write('usage: node bench/lib/fdir-scan.mjs [--print] DIR\n');
  process.exit(2);
}
process.stdout.on('error', () => process.exit(0)); // e.g. EPIPE from `| head`
const paths = await new fdir().withFullPaths().withDirs().crawl(dir).withPromise();
if (print) {
  // One write per 64k paths: console.log per path would dominate the time.
  for (let i = 0; i < paths.length; i += 65536) process.stdout.write(paths.slice(i, i + 65536).join('\n') + '\n');
} else {
  process.stdout.write(`${paths.length}\n`);
}
