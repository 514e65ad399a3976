// `npm pack`, then `npm install -g` of the tarball into a temporary prefix
// (dependencies from the npm cache that `npm ci` filled): the bins run, the
// man pages are linked, the library imports with types from a project of
// its own, and an unloadable prebuilt library is rebuilt by postinstall.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-registry.js';
import { ensureDist } from '../helpers/child.js';
import { ROOT, cleanEnv, runBin } from '../helpers/cli.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const work = mkdtempSync(join(tmpdir(), 'ioaio-pkg-'));
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib/node_modules/ioaio');
const tree = makeTree({ a: 'x', d: { b: 'yy' } });
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };
let tarball = '';
let packed: string[] = [];

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
};
const bin = (name: string, args: string[], input?: string) =>
  spawnSync(join(prefix, 'bin', name), args, { encoding: 'utf8', input, timeout: 30_000, env: cleanEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH}` }) });

beforeAll(() => {
  ensureDist();
  execFileSync(process.execPath, ['scripts/man.mjs'], { cwd: ROOT });
  // --ignore-scripts: `prepare` would rebuild dist/ under the other test files' feet; ensureDist has built it.
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  const info = JSON.parse(out.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path).sort();
  npm(['install', '-g', '--prefix', prefix, tarball], work);
}, 300_000);
afterAll(() => {
  removeTree(work);
  removeTree(tree);
});

describe('npm package', () => {
  it('ships the bins, bundles, library with types, man pages, prebuilt library and its sources; no tests, maps or TS sources', () => {
    for (const f of ['bin/ioaio', 'dist/bundle/ioaio.cjs', 'dist/bundle/ink-progress.mjs', 'dist/src/aio/index.js', 'dist/src/aio/index.d.ts', 'dist/man/ioaio.1', 'build/native/libioaio.so', 'native/include/ioaio.h', 'scripts/build-native.mjs', 'scripts/postinstall.mjs', 'package.json', 'README.md', 'LICENSE', 'dist/LICENSES.txt']) {
      expect(packed).toContain(f);
    }
    for (const c of COMMANDS) expect(packed).toContain(`bin/${c.name}`);
    expect(packed.filter((f) => /^(src|test|bench|native\/test|native\/\.libeio)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // the library and the engines its tree move loads (aio.move), not the commands' own code
    expect(packed.filter((f) => f.startsWith('dist/src/') && !/^dist\/src\/(aio|copy|move|remove|shard)\/|^dist\/src\/walk\/(glob|entry-policy|types)\./.test(f))).toEqual([]);
    expect(packed).toContain('dist/src/move/library.js');
  });

  it('installs every bin and man page; they run', () => {
    expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(['ioaio', ...COMMANDS.map((c) => c.name)].sort());
    expect(readdirSync(join(prefix, 'share/man/man1')).sort()).toEqual(['ioaio.1', ...COMMANDS.map((c) => `${c.name}.1`)].sort());
    for (const name of ['ioaio', ...COMMANDS.map((c) => c.name)]) expect(bin(name, ['--version']).stdout).toBe(`${pkg.version}\n`);
    const scan = bin('treescan', ['--sort', tree]);
    expect(scan.status).toBe(0);
    expect(scan.stdout).toBe(runBin('treescan', ['--sort', tree]).stdout);
    expect(bin('ioaio', ['treescan', '--sort', tree]).stdout).toBe(scan.stdout);
    expect(bin('pstat', ['-c', '%s %n'], `${tree}/a\n${tree}/d/b\n`).stdout).toBe(`1 ${tree}/a\n2 ${tree}/d/b\n`);
    expect(bin('ioaio', ['completion', 'bash']).stdout).toContain('complete -F _ioaio ioaio');
    // the licences, from the installed package's own dist/LICENSES.txt
    const lic = bin('ioaio', ['--licenses']).stdout;
    expect(lic).toBe(readFileSync(join(installed, 'dist/LICENSES.txt'), 'utf8'));
    for (const part of ['==== ioaio', 'MIT License', '==== libeio', '==== commander', '==== koffi']) expect(lic).toContain(part);
    // libeio's terms as the fetched source states them (its copyright line, read from eio.h, not written here)
    const copyright = /Copyright[^\n]*/.exec(readFileSync(join(ROOT, 'native/.libeio/libeio/eio.h'), 'utf8'))![0];
    expect(lic).toContain(copyright);
  }, 60_000);

  it("imports as 'ioaio' with types, from a project of its own", () => {
    const proj = join(work, 'project');
    mkdirSync(proj);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'uses-ioaio', private: true, type: 'module' }));
    const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')).version as string;
    npm(['install', tarball, `@types/node@${typesNode}`], proj);
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] }, files: ['main.ts'] }));
    writeFileSync(
      join(proj, 'main.ts'),
      `import { aio, IoaioError } from 'ioaio';
const st = await aio.lstat(${JSON.stringify(join(tree, 'd/b'))});
const size: number = st.size;
// @ts-expect-error lstat takes a path, not a number: the types are real, not any.
void aio.lstat(42);
export { size, IoaioError };
`,
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', proj], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import { aio } from 'ioaio'; console.log((await aio.lstat(${JSON.stringify(join(tree, 'd/b'))})).size);`], { cwd: proj, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('2\n');
  }, 180_000);

  it('postinstall builds libioaio.so from the shipped sources when the prebuilt one does not load', () => {
    const so = join(installed, 'build/native/libioaio.so');
    writeFileSync(so, 'not an ELF file');
    expect(bin('treescan', [tree]).status).not.toBe(0);
    const libeio = execFileSync(process.execPath, ['scripts/build-native.mjs', '--print-libeio-dir'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const r = spawnSync(process.execPath, [join(installed, 'scripts/postinstall.mjs')], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, LIBEIO_SRC: libeio } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/the prebuilt libioaio.so does not load here .*; building it from native\/src/);
    expect(existsSync(so)).toBe(true);
    expect(bin('treescan', ['--sort', tree]).stdout).toBe(runBin('treescan', ['--sort', tree]).stdout);
  }, 240_000);
});
