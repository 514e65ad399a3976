// Directory-scan benchmark (issue 3): our `treescan -q` against find, fd
// (fdfind -uu), IO::AIO's treescan and fdir, run alternately on the same tree
// in the same run, with wall-time medians, peak RSS and the issue's bars.
//
//   node bench/treescan.mjs [--local] [--fuse] [--startup] [--runs N] [--json]
//       [--ours "CMD"] [--timeout S] [--delay-us 1000] [--threads 64] [--fixture async|threads]
//       [--local-tree 10,5,4] [--fuse-tree 10,3,9] [--startup-runs 10]
//       [--only find,fd,aio,fdir,ours]
//
// Scenarios (all three unless some are named):
//   local    warm tree of 555,555 entries; ours/fd wall <= 1.0, ours peak RSS <= 100 MB
//   fuse     latencyfs-async, or latencyfs with --fixture threads (1 ms an
//            operation, no kernel caching, at most 64 operations in service)
//            over 11,110 entries; ours/fd -j 32 <= 0.5, find/ours >= 10
//   startup  an empty directory; ours <= 0.15 s (median of --startup-runs)
// Needs bench/setup.sh once (Debian packages, the FUSE fixture) and fdir in
// node_modules.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { onExit } from './lib/cleanup.mjs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.mjs';
import { run, GNU_TIME } from './lib/run.mjs';
import { benchBase, ensureScanTree } from './lib/scan-tree.mjs';
import { fixtureBinary, mount } from './lib/fuse.mjs';
import { bar, log, verdict } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
// IO::AIO's script by absolute path: once this project's treescan is linked
// into PATH, a bare `treescan` could be ours.
const AIO_TREESCAN = '/usr/bin/treescan';
const FDIR_SCAN = join(HERE, 'lib', 'fdir-scan.mjs');

const { values: opt } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    fuse: { type: 'boolean', default: false },
    startup: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'startup-runs': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    ours: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'delay-us': { type: 'string', default: '1000' },
    threads: { type: 'string', default: '64' },
    fixture: { type: 'string', default: 'async' },
    'local-tree': { type: 'string', default: '10,5,4' },
    'fuse-tree': { type: 'string', default: '10,3,9' },
    only: { type: 'string', default: 'find,fd,aio,fdir,ours' }, // IO::AIO's takes ~20 s a run locally
  },
});
const picked = ['local', 'fuse', 'startup'].filter((s) => opt[s]);
const scenarios = picked.length ? picked : ['local', 'fuse', 'startup'];
const timeoutS = Number(opt.timeout);
const problems = [];

// --- The tools -------------------------------------------------------------

const OURS = oursCommand();
function oursCommand() {
  if (opt.ours) return opt.ours.trim().split(/\s+/); // no shell quoting: plain words
  const bin = join(ROOT, 'bin', 'treescan');
  if (!existsSync(bin)) return null;
  return statSync(bin).mode & 0o111 ? [bin] : [process.execPath, bin];
}

/**
 * The tools of a scenario. timed: the argv of a timed run (stdout to
 * /dev/null); list: the argv of the untimed verification run, whose output
 * lines are counted. once: run only once (its verification run is timed).
 */
function tools(kind, dir) {
  const fd = kind === 'fuse' ? ['fdfind', '-j', '32', '-uu', '.', dir] : ['fdfind', '-uu', '.', dir];
  const t = [
    { key: 'find', label: 'find', role: 'peer', timed: ['find', dir], once: kind === 'fuse' },
    { key: 'fd', label: fd.slice(0, -2).join(' '), role: 'peer', timed: fd },
    { key: 'aio', label: 'IO::AIO treescan -q', role: 'peer', timed: [AIO_TREESCAN, '-q', dir], list: [AIO_TREESCAN, dir] },
    { key: 'fdir', label: 'fdir (node)', role: 'peer', timed: [process.execPath, FDIR_SCAN, dir], list: [process.execPath, FDIR_SCAN, '--print', dir] },
  ];
  if (OURS) t.push({ key: 'ours', label: 'treescan -q (ours)', role: 'ours', timed: [...OURS, '-q', dir], list: [...OURS, dir] });
  if (kind === 'startup') t.unshift({ key: 'node', label: 'node -e 0 (floor)', role: 'floor', timed: [process.execPath, '-e', '0'], list: null });
  const only = new Set([...opt.only.split(',').map((k) => k.trim()), 'node']);
  for (const k of only) if (!['find', 'fd', 'aio', 'fdir', 'ours', 'node'].includes(k)) throw new Error(`--only: unknown tool ${k}`);
  const picked = t.filter((x) => only.has(x.key));
  for (const x of picked) {
    if (x.list === undefined) x.list = x.timed; // null: nothing to verify
    x.samples = [];
  }
  return picked;
}

function preflight() {
  const missing = [];
  if (!existsSync(GNU_TIME)) missing.push(`${GNU_TIME} (Debian: time)`);
  if (!existsSync(AIO_TREESCAN)) missing.push(`${AIO_TREESCAN} (Debian: libio-aio-perl)`);
  if (spawnSync('fdfind', ['--version']).status !== 0) missing.push('fdfind (Debian: fd-find)');
  if (scenarios.includes('fuse') && !existsSync(fixtureBinary(opt.fixture))) missing.push(`${fixtureBinary(opt.fixture)} (bench/setup.sh builds it)`);
  if (scenarios.includes('fuse') && spawnSync('fusermount3', ['-V']).status !== 0) missing.push('fusermount3 (Debian: fuse3)');
  try {
    createRequire(import.meta.url).resolve('fdir');
  } catch {
    missing.push('fdir (npm: a devDependency; npm ci)');
  }
  if (missing.length) {
    log(`missing: ${missing.join(', ')}\nrun bench/setup.sh (and npm ci) first\n`);
    process.exit(2);
  }
}

function versions() {
  const out = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.split('\n')[0].trim() ?? '?';
  return {
    node: process.version,
    find: out('find', ['--version']),
    fd: out('fdfind', ['--version']),
    ioaio_perl: out('perl', ['-MIO::AIO', '-e', 'print $IO::AIO::VERSION']),
    fdir: JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('fdir')), '..', 'package.json'), 'utf8')).version,
    ours: OURS ? OURS.join(' ') : null,
  };
}

// --- Running a scenario ----------------------------------------------------

const failed = (r) => r.timedOut || r.status !== 0;
const describe = (r) => (r.timedOut ? `timed out after ${timeoutS} s` : `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.slice(0, 300)}`);

/**
 * One verification run per tool (output counted, root line excluded, FUSE
 * operations counted), then `runs` rounds of timed runs in rotating order.
 */
async function scenario(name, dir, list, { runs, expected, opCounts }) {
  for (const t of list) {
    if (t.list === null) continue;
    await opCounts?.(); // reset the server's counts
    const r = await run(t.list, { root: dir, timeoutS });
    t.ops = opCounts ? await opCounts() : null;
    if (failed(r)) {
      problems.push(`${name}: ${t.label}: verification run ${describe(r)}`);
      continue;
    }
    // find, fdir, IO::AIO's treescan print the root; fd does not.
    t.count = r.lines - r.rootLines;
    t.printsRoot = r.rootLines > 0;
    if (t.count !== expected) problems.push(`${name}: ${t.label} found ${t.count} entries below the root, expected ${expected}`);
    if (t.once) t.samples.push(r);
    log(`${name}: ${t.label}: ${t.count} entries${t.printsRoot ? ' (+ root line)' : ''}, ${r.wallS.toFixed(2)} s${t.once ? ' (its only run)' : ''}\n`);
  }
  const timed = list.filter((t) => !t.once);
  for (let round = 0; round < runs; round++) {
    for (let j = 0; j < timed.length; j++) {
      const t = timed[(round + j) % timed.length];
      const r = await run(t.timed, { timeoutS });
      if (failed(r)) {
        problems.push(`${name}: ${t.label}: run ${round + 1} ${describe(r)}`);
        continue;
      }
      t.samples.push(r);
      log(`${name} run ${round + 1}/${runs}  ${t.label.padEnd(24)} ${r.wallS.toFixed(3)} s  ${(r.rssKB / 1024).toFixed(1)} MiB\n`);
    }
  }
  for (const t of list) {
    t.wallS = median(t.samples.map((r) => r.wallS));
    t.rssMaxKB = t.samples.length ? Math.max(...t.samples.map((r) => r.rssKB ?? 0)) : null;
  }
  return list;
}

const byKey = (list, k) => list.find((t) => t.key === k);
const RSS_BAR_MB = 100; // MB of 10^6 bytes, the stricter reading

const ratio = (a, b) => (a?.wallS && b?.wallS ? a.wallS / b.wallS : null);

async function runLocal() {
  const [fanout, depth, files] = opt['local-tree'].split(',').map(Number);
  const t0 = performance.now();
  const tree = ensureScanTree({ fanout, depth, files });
  const setup = { treeS: (performance.now() - t0) / 1000, reused: tree.reused };
  const warm = await run(['find', tree.dir], { timeoutS }); // warm the dentry and inode caches
  setup.warmS = warm.wallS;
  log(`local: ${tree.dir}: ${tree.entries} entries, ${tree.reused ? 'reused' : 'made'}; warm-up find ${warm.wallS.toFixed(2)} s\n`);
  const list = await scenario('local', tree.dir, tools('local', tree.dir), { runs: Number(opt.runs ?? 5), expected: tree.entries - 1 });
  const ours = byKey(list, 'ours'), fd = byKey(list, 'fd');
  const checks = [
    bar('wall ours / fdfind -uu', ratio(ours, fd), '<=', 1.0),
    bar('peak RSS ours (MB)', ours?.rssMaxKB ? (ours.rssMaxKB * 1024) / 1e6 : null, '<=', RSS_BAR_MB),
  ];
  return { dir: tree.dir, entries: tree.entries, setup, list, ref: 'fd', checks };
}

async function runFuse() {
  const [fanout, depth, files] = opt['fuse-tree'].split(',').map(Number);
  const t0 = performance.now();
  const tree = ensureScanTree({ fanout, depth, files });
  await run(['find', tree.dir], { timeoutS }); // the server reads a warm source
  const mnt = mkdtempSync(join(benchBase(), 'mnt-'));
  // Registered before mount(), so at exit it runs after the unmount.
  const removeMnt = onExit(() => {
    try {
      rmdirSync(mnt);
    } catch {}
  });
  const t1 = performance.now();
  const unmount = await mount(tree.dir, mnt, { delayUs: Number(opt['delay-us']), threads: Number(opt.threads), fixture: opt.fixture });
  const setup = { treeS: (t1 - t0) / 1000, reused: tree.reused, mountS: (performance.now() - t1) / 1000 };
  log(`fuse: ${tree.dir} (${tree.entries} entries) mounted at ${mnt} in ${setup.mountS.toFixed(2)} s; find runs once only (about 1 ms x ~11k operations, sequential)\n`);
  try {
    const list = await scenario('fuse', mnt, tools('fuse', mnt), { runs: Number(opt.runs ?? 3), expected: tree.entries - 1, opCounts: unmount.opCounts });
    const ours = byKey(list, 'ours'), fd = byKey(list, 'fd'), find = byKey(list, 'find');
    const checks = [
      bar('wall ours / fdfind -j 32 -uu', ratio(ours, fd), '<=', 0.5),
      bar('wall find / ours', ratio(find, ours), '>=', 10),
    ];
    return { dir: mnt, source: tree.dir, entries: tree.entries, setup, list, ref: 'fd', checks };
  } finally {
    unmount();
    try {
      rmdirSync(mnt);
    } catch {}
    removeMnt();
  }
}

async function runStartup() {
  const dir = join(benchBase(), 'empty');
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length) throw new Error(`${dir} should be empty`);
  const list = await scenario('startup', dir, tools('startup', dir), { runs: Number(opt['startup-runs']), expected: 0 });
  const ours = byKey(list, 'ours');
  const checks = [bar('wall ours on an empty directory (s)', ours?.wallS ?? null, '<=', 0.15)];
  return { dir, entries: 1, list, ref: 'node', checks };
}

// --- Report ----------------------------------------------------------------

function printScenario(name, s) {
  const out = [];
  const ref = byKey(s.list, s.ref);
  const where = name === 'fuse' ? `${s.dir} (${opt.fixture === 'threads' ? 'latencyfs' : 'latencyfs-async'} over ${s.source}, ${opt['delay-us']} µs an operation, ${opt.threads} in service)` : s.dir;
  out.push(`== ${name}: ${where}, ${s.entries - 1} entries below the root`);
  if (s.setup) out.push(`setup: tree ${s.setup.reused ? 'reused' : 'made'} in ${s.setup.treeS.toFixed(1)} s${s.setup.warmS ? `, warm-up find ${s.setup.warmS.toFixed(2)} s` : ''}${s.setup.mountS !== undefined ? `, mount ${s.setup.mountS.toFixed(2)} s` : ''}`);
  const head = ['tool', 'entries', 'wall (s)', `x ${ref ? ref.label.split(' ')[0] : '-'}`, 'peak RSS', 'runs (s)'];
  const sub = ['', '(root excl.)', 'median', '', 'MiB (max)', ''];
  const rows = s.list.map((t) => [
    `${t.label} [${t.role}]`,
    t.count === undefined ? (t.list === null ? '-' : 'n/a') : String(t.count),
    t.wallS === null ? 'n/a' : t.wallS.toFixed(3),
    ratio(t, ref)?.toFixed(2) ?? 'n/a',
    t.rssMaxKB ? (t.rssMaxKB / 1024).toFixed(1) : 'n/a',
    t.samples.map((r) => r.wallS.toFixed(2)).join(' ') + (t.once ? ' (once)' : ''),
  ]);
  const w = head.map((h, i) => Math.max(h.length, sub[i].length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  out.push(line(head), line(sub), ...rows.map(line));
  if (!OURS) out.push('ours: not built yet (no bin/treescan; --ours "CMD" runs another command)');
  const withOps = s.list.filter((t) => t.ops);
  if (withOps.length) {
    out.push('FUSE operations in each tool\'s verification run:');
    for (const t of withOps) {
      const total = Object.values(t.ops).reduce((a, b) => a + b, 0);
      out.push(`  ${t.label.padEnd(w[0] - 7)} ${String(total).padStart(6)}  ${Object.entries(t.ops).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }
  for (const c of s.checks) {
    const v = c.value === null ? (OURS ? 'n/a' : 'n/a (ours not built)') : c.value.toFixed(c.name.includes('(s)') ? 3 : 2);
    out.push(`${name}: ${c.name}: ${v} (bar ${c.bar}): ${verdict(c.met)}`);
  }
  return out.join('\n');
}

preflight();
const config = { scenarios, runs: opt.runs ?? 'local 5, fuse 3', startupRuns: Number(opt['startup-runs']), timeoutS, cpus: availableParallelism(), versions: versions(), loadavg1m: { before: loadavg()[0] } };
const results = {};
for (const s of scenarios) results[s] = await { local: runLocal, fuse: runFuse, startup: runStartup }[s]();
config.loadavg1m.after = loadavg()[0];

if (opt.json) {
  const slim = (t) => ({ key: t.key, label: t.label, role: t.role, argv: t.timed, entries: t.count ?? null, printsRoot: t.printsRoot ?? null, wallMedianS: t.wallS, rssMaxKB: t.rssMaxKB, runs: t.samples.map((r) => ({ wallS: r.wallS, rssKB: r.rssKB })), fuseOps: t.ops ?? undefined, once: t.once || undefined });
  const sc = Object.fromEntries(Object.entries(results).map(([k, s]) => [k, { ...s, list: undefined, tools: s.list.map(slim) }]));
  process.stdout.write(JSON.stringify({ config, scenarios: sc, verified: problems.length === 0, problems }, null, 2) + '\n');
} else {
  const v = config.versions;
  const out = [`directory scans: ${config.cpus} CPUs, Node ${v.node}, ${v.find}, ${v.fd}, IO::AIO ${v.ioaio_perl}, fdir ${v.fdir}`];
  out.push(`ours: ${v.ours ?? 'not built yet'}; 1-min load average ${config.loadavg1m.before.toFixed(2)} before, ${config.loadavg1m.after.toFixed(2)} after`);
  out.push('wall = spawn to exit, measured by this script; peak RSS = GNU time %M; timed runs write to /dev/null');
  // Node reads that file at every start, which slows every Node tool here.
  if (process.env.NODE_EXTRA_CA_CERTS) out.push(`note: NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): Node loads it at start-up, adding to node, fdir and ours`);
  for (const [k, s] of Object.entries(results)) out.push('', printScenario(k, s));
  out.push('', problems.length ? `VERIFICATION FAILED:\n  ${problems.join('\n  ')}` : 'verified: every tool exited 0 and found the expected number of entries');
  process.stdout.write(out.join('\n') + '\n');
}
process.exitCode = problems.length ? 1 : 0;
