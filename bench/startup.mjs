// Start-up time of `treescan --version` (bar: 0.15 s wall) from the bin an
// npm install puts on PATH and from the single executable, with `node -e 0`
// (Node's own floor) measured in the same run. Also `treescan EMPTY_DIR`
// from the npm bin (the bundle compiled from its V8 code cache,
// bin/load-bundle.cjs) against the same installed bundle loaded by a plain
// require(), which compiles it. Runs alternate, so the
// machine's load hits every command alike; medians are reported, with
// NODE_EXTRA_CA_CERTS as the environment has it and unset (Node reads the
// whole file at every start when it is set).
//   npm run package && node bench/startup.mjs [--rounds 40]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './lib/measure.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 40;
const sea = join(ROOT, 'dist/ioaio-linux-x64');
if (!existsSync(sea)) throw new Error('dist/ioaio-linux-x64 is missing: run `npm run package` first');

const work = mkdtempSync(join(tmpdir(), 'ioaio-startup-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const npm = (...a) => execFileSync('npm', [...a, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
const tgz = JSON.parse(npm('pack', '--ignore-scripts', '--json', '--pack-destination', work))[0].filename;
npm('install', '-g', '--prefix', join(work, 'prefix'), join(work, tgz));
symlinkSync(sea, join(work, 'treescan'));
const empty = join(work, 'empty');
mkdirSync(empty);
const plain = join(work, 'plain-require.cjs');
writeFileSync(plain, `require(${JSON.stringify(join(work, 'prefix/lib/node_modules/ioaio/dist/bundle/ioaio.cjs'))}).run('treescan');\n`);

const commands = {
  'node -e 0 (floor)': [process.execPath, '-e', '0'],
  'npm-installed treescan --version': [join(work, 'prefix/bin/treescan'), '--version'],
  'single executable: treescan --version': [join(work, 'treescan'), '--version'],
  'npm-installed treescan --help': [join(work, 'prefix/bin/treescan'), '--help'],
  'npm-installed treescan EMPTY_DIR': [join(work, 'prefix/bin/treescan'), empty],
  // As the bins start (env -u NODE_EXTRA_CA_CERTS), minus the code cache.
  'the same bundle by require(), EMPTY_DIR': ['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, plain, empty],
};


for (const ca of ['as set', 'unset']) {
  const env = { ...process.env };
  if (ca === 'unset') delete env.NODE_EXTRA_CA_CERTS;
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < rounds + 3; i++) {
    for (const [name, [cmd, ...args]] of Object.entries(commands)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
      if (i >= 3) times[name].push(ms); // the first rounds warm the page cache
    }
  }
  const floor = median(times['node -e 0 (floor)']);
  console.log(`NODE_EXTRA_CA_CERTS ${ca === 'unset' ? 'unset' : `=${process.env.NODE_EXTRA_CA_CERTS ?? '(not set)'}`}, ${rounds} alternating rounds, median wall:`);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(40)} ${m.toFixed(1).padStart(6)} ms  ${(m / floor).toFixed(2)}x floor${name.includes('--version') ? (m <= 150 ? '  (bar 150 ms: met)' : '  (bar 150 ms: NOT met)') : ''}`);
  }
}
