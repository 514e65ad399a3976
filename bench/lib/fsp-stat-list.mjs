// Peer for pstat: fs.promises.lstat over a path list (one per line) with a
// sliding window of N in flight, printing "size path" like stat -c '%s %n'.
import { lstat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

const [list, n = '256'] = process.argv.slice(2);
const paths = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const out = new Array(paths.length);
let next = 0;
async function worker() {
  while (next < paths.length) {
    const i = next++;
    const st = await lstat(paths[i]);
    out[i] = `${st.size} ${paths[i]}\n`;
  }
}
await Promise.all(Array.from({ length: Number(n) }, worker));
process.stdout.write(out.join(''));
