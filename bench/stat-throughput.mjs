// lstat throughput: ioaio's aio.lstat against Node's fs.promises.lstat, same
// paths, same concurrency, same warm cache, same number of pool threads.
// Usage: node bench/stat-throughput.mjs [--files N] [--dir D] [--runs R]
//          [--concurrency C] [--threads T] [--min-time S] [--only a,b] [--json]
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bar, log, verdict } from './lib/report.mjs';

const { values: opt } = parseArgs({
  options: {
    files: { type: 'string', default: '100000' },
    dir: { type: 'string' },
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', short: 'c', default: '64' },
    threads: { type: 'string' },
    'min-time': { type: 'string', default: '1' },
    only: { type: 'string', default: 'fsp,aio,aio-cb' },
    json: { type: 'boolean', default: false },
  },
});
const files = Number(opt.files);
const runs = Number(opt.runs);
const C = Number(opt.concurrency);
const minMs = Number(opt['min-time']) * 1000;
const threads = Number(opt.threads ?? (process.env.UV_THREADPOOL_SIZE || 4));
const dir = opt.dir ?? join(tmpdir(), 'ioaio-bench', `stat-tree-${files}`);

// libuv starts its pool before this module even runs (the ESM loader reads
// files through it), so a different size needs a fresh process.
if (Number(process.env.UV_THREADPOOL_SIZE || 4) !== threads) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: String(threads) },
  });
  process.exit(r.status ?? 1);
}

if (minMs < 1000) process.stderr.write('warning: --min-time below 1 s makes the clock-tick CPU figures coarse\n');

const fsp = await import('node:fs/promises');
const { lstat: fsLstat } = await import('node:fs');
const { aio } = await import('../dist/src/aio/index.js');
const { ensureTree, listFiles } = await import('./lib/tree.mjs');
const { measure, median, CLK_TCK } = await import('./lib/measure.mjs');
const { windowPromise, windowCallback } = await import('./lib/window.mjs');

const VARIANTS = {
  fsp: { label: 'fs.promises.lstat', role: 'peer', run: (ms) => windowPromise(fsp.lstat, paths, C, ms) },
  aio: { label: 'aio.lstat (promise)', role: 'ours', run: (ms) => windowPromise(aio.lstat, paths, C, ms) },
  'aio-cb': { label: 'aio.lstat (callback)', role: 'ours', run: (ms) => windowCallback(aio.lstat, paths, C, ms) },
  'fs-cb': { label: 'fs.lstat (callback)', role: 'peer', run: (ms) => windowCallback(fsLstat, paths, C, ms) },
};
const keys = opt.only.split(',').map((k) => k.trim());
for (const k of keys) if (!VARIANTS[k]) throw new Error(`--only: unknown variant ${k} (known: ${Object.keys(VARIANTS).join(', ')})`);

// 1. The tree and its path list.
const reused = ensureTree(dir, files, log);
const paths = listFiles(dir);
if (paths.length !== files) throw new Error(`${dir}: found ${paths.length} files, expected ${files}`);

// 2. Warm the cache with one synchronous pass; remember the sizes' sum to check results.
let sizeSum = 0;
for (const p of paths) sizeSum += lstatSync(p).size;

aio.minParallel(threads);
aio.maxParallel(threads);

// Spot-check a few paths: both APIs must agree with lstatSync.
for (const p of [paths[0], paths[paths.length >> 1], paths[paths.length - 1], paths[(paths.length * 0.37) | 0]]) {
  const want = lstatSync(p);
  for (const [name, got] of [['aio.lstat', await aio.lstat(p)], ['fs.promises.lstat', await fsp.lstat(p)]]) {
    for (const f of ['size', 'ino', 'mode', 'nlink', 'mtimeMs']) {
      if (got[f] !== want[f]) throw new Error(`spot check: ${name}(${p}).${f} = ${got[f]}, lstatSync says ${want[f]}`);
    }
  }
}

const problems = [];
function verify(key, r) {
  const what = `${VARIANTS[key].label}: `;
  if (r.errors) problems.push(`${what}${r.errors} errors, first: ${r.firstError?.message}`);
  if (r.ok !== r.requests) problems.push(`${what}${r.ok} successes for ${r.requests} requests`);
  if (!Number.isInteger(r.passes)) problems.push(`${what}${r.passes} passes is not whole`);
  else if (r.sizeSum !== sizeSum * r.passes) problems.push(`${what}size sum ${r.sizeSum}, expected ${sizeSum * r.passes}`);
}

const loadBefore = loadavg()[0];

// Warm-up (JIT, thread start-up): one untimed pass per variant.
for (const k of keys) {
  log(`warm-up ${VARIANTS[k].label}\n`);
  verify(k, await VARIANTS[k].run(0));
}

// 3. Timed runs, rotating the order each round: peer, ours, ours, then ours, ours, peer, ...
const results = Object.fromEntries(keys.map((k) => [k, []]));
for (let round = 0; round < runs; round++) {
  for (let j = 0; j < keys.length; j++) {
    const k = keys[(round + j) % keys.length];
    const r = await measure(() => VARIANTS[k].run(minMs));
    verify(k, r);
    delete r.firstError;
    results[k].push(r);
    log(`run ${round + 1}/${runs} ${VARIANTS[k].label.padEnd(22)} ${fmt(r.rps, 0).padStart(9)} req/s  main ${fmt(r.mainUsPerReq, 2)} µs/req  (${r.wallS.toFixed(2)} s, ${r.passes} passes)\n`);
  }
}

// 4. Medians, ratios, bars.
const med = {};
for (const k of keys) {
  med[k] = {};
  for (const f of ['rps', 'mainUsPerReq', 'mainUserUsPerReq', 'mainSysUsPerReq', 'mainSchedUsPerReq', 'processUsPerReq', 'wallS']) med[k][f] = median(results[k].map((r) => r[f]));
}
const threadInfo = { libuv: Number(process.env.UV_THREADPOOL_SIZE || 4), libeio: aio.nthreads() };
if (threadInfo.libeio !== threads) problems.push(`aio.nthreads() is ${threadInfo.libeio} after the runs, wanted ${threads}`);
const checks = [];
if (med.fsp) {
  for (const k of ['aio', 'aio-cb']) {
    if (!med[k]) continue;
    checks.push(bar(`${VARIANTS[k].label} / ${VARIANTS.fsp.label} req/s`, med[k].rps / med.fsp.rps, '>=', 2.0));
  }
}
for (const k of ['aio', 'aio-cb']) {
  if (!med[k] || med[k].mainUsPerReq === null) continue;
  checks.push(bar(`${VARIANTS[k].label} main-thread µs/req`, med[k].mainUsPerReq, '<=', 2));
}

const config = { files, dir, treeReused: reused, concurrency: C, runs, minTimeS: minMs / 1000, threads: threadInfo, node: process.version, cpus: availableParallelism(), clkTck: CLK_TCK, loadavg1m: { before: loadBefore, after: loadavg()[0] } };
if (opt.json) {
  const variants = Object.fromEntries(keys.map((k) => [k, { ...VARIANTS[k], run: undefined, median: med[k], runs: results[k] }]));
  process.stdout.write(JSON.stringify({ config, variants, checks, verified: problems.length === 0, problems }, null, 2) + '\n');
} else {
  printTable(config);
}
process.exitCode = problems.length ? 1 : 0;
await aio.shutdown();

function fmt(x, digits) {
  return x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(cfg) {
  const out = [];
  out.push(`lstat throughput: ${cfg.files} files in ${cfg.dir}${cfg.treeReused ? ' (reused)' : ''}`);
  out.push(`concurrency ${C}, ${runs} runs of >= ${cfg.minTimeS} s each (medians), Node ${cfg.node}, ${cfg.cpus} CPUs, CLK_TCK ${cfg.clkTck}`);
  out.push(`1-min load average ${cfg.loadavg1m.before.toFixed(2)} before, ${cfg.loadavg1m.after.toFixed(2)} after (this bench alone adds about 2 to it)`);
  out.push(`threads: libuv pool ${cfg.threads.libuv} (UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 'unset'}), libeio ${cfg.threads.libeio} (aio.nthreads() after the runs)`);
  out.push('');
  const head = ['variant', 'req/s', 'main µs/req', '(user+sys)', 'main µs/req', 'all threads', 'req/s of each run'];
  const sub = ['', 'median', '(ticks)', '', '(schedstat)', 'µs/req', ''];
  const rows = keys.map((k) => [
    `${VARIANTS[k].label} [${VARIANTS[k].role}]`,
    fmt(med[k].rps, 0),
    fmt(med[k].mainUsPerReq, 2),
    `${fmt(med[k].mainUserUsPerReq, 2)}+${fmt(med[k].mainSysUsPerReq, 2)}`,
    fmt(med[k].mainSchedUsPerReq, 2),
    fmt(med[k].processUsPerReq, 2),
    results[k].map((r) => fmt(r.rps / 1000, 0) + 'k').join(' '),
  ]);
  const w = head.map((h, i) => Math.max(h.length, sub[i].length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  out.push(line(head), line(sub), ...rows.map(line), '');
  for (const c of checks) {
    const v = c.name.includes('µs') ? `${fmt(c.value, 2)} µs` : `${fmt(c.value, 2)}x`;
    out.push(`${c.name}: ${v} (bar ${c.bar}): ${verdict(c.met)}`);
  }
  for (const k of keys.filter((k) => VARIANTS[k].role === 'peer')) {
    out.push(`peer in this run: ${VARIANTS[k].label} ${fmt(med[k].rps, 0)} req/s, main thread ${fmt(med[k].mainUsPerReq, 2)} µs/req (ticks), ${fmt(med[k].mainSchedUsPerReq, 2)} µs/req (schedstat)`);
  }
  out.push(problems.length ? `VERIFICATION FAILED:\n  ${problems.join('\n  ')}` : 'verified: every request succeeded and every pass returned the expected size sum');
  process.stdout.write(out.join('\n') + '\n');
}
