// Aggregates a V8 .cpuprofile (node --cpu-prof) by function: self time, top N.
// Usage: node bench/profile-summary.mjs <file.cpuprofile | dir (newest)> [--top N] [--by url]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' } },
});
let file = positionals[0] ?? '.';
if (statSync(file).isDirectory()) {
  const profs = readdirSync(file).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(file, f));
  if (!profs.length) throw new Error(`no .cpuprofile in ${file}`);
  file = profs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
const prof = JSON.parse(readFileSync(file, 'utf8'));

// Sample i lasts until sample i+1 (the DevTools convention).
const selfUs = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
}

const shortUrl = (u) => (u ? u.replace(/^file:\/\/.*?\/(dist|bench|node_modules)\//, '$1/').replace(/^node:/, 'node:') : '');
const groups = new Map();
let total = 0;
for (const n of prof.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  total += us;
  const cf = n.callFrame;
  const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
  const key = opt.by === 'url' ? shortUrl(cf.url) || cf.functionName || '(native)' : `${cf.functionName || '(anonymous)'} ${where}`.trim();
  groups.set(key, (groups.get(key) ?? 0) + us);
}
const idle = groups.get('(idle)') ?? 0;
const busy = total - idle;
console.log(`${basename(file)}: ${(total / 1e6).toFixed(2)} s sampled, ${(idle / 1e6).toFixed(2)} s idle, ${(busy / 1e6).toFixed(2)} s busy`);
console.log(`  self ms  % busy  ${opt.by}`);
const rows = [...groups].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top));
for (const [k, us] of rows) console.log(`${(us / 1e3).toFixed(1).padStart(9)}  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
