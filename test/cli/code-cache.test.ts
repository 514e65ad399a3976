// bin/load-bundle.cjs: the bundle is compiled from V8's code cache made at
// build time (scripts/code-cache.mjs), and only from the one made from it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/child.js';

const ROOT = join(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/bundle/ioaio.cjs');
const loader = createRequire(import.meta.url)('../../bin/load-bundle.cjs') as {
  bundleId(src: string): string | undefined;
  cacheFor(file: string, id: string): Buffer | undefined;
  CACHE_MAGIC: string;
  ID_PREFIX: string;
};

beforeAll(() => ensureDist());

describe('the bundle and its code cache', () => {
  it('the bundle names the hash of its content, and the cache names the bundle', () => {
    const src = readFileSync(BUNDLE, 'utf8');
    const id = loader.bundleId(src);
    const at = src.lastIndexOf(`\n${loader.ID_PREFIX}`);
    expect(id).toBe(createHash('sha256').update(src.slice(0, at)).digest('hex'));
    expect(loader.cacheFor(BUNDLE, id!)?.length).toBeGreaterThan(10_000);
  });

  it('V8 takes the cache for the bundle (same Node, same flags as bin/)', () => {
    const script = `const vm = require('node:vm'), Module = require('node:module'), fs = require('node:fs');
const { bundleId, cacheFor } = require(${JSON.stringify(join(ROOT, 'bin/load-bundle.cjs'))});
const f = ${JSON.stringify(BUNDLE)}, src = fs.readFileSync(f, 'utf8');
const s = new vm.Script(Module.wrap(src), { filename: f, cachedData: cacheFor(f, bundleId(src)) });
process.stdout.write(String(s.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('false');
  });

  describe('a cache is used only with the bundle it was made from', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ioaio-cc-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('matching id: the V8 data after the header line; another id, no header or no file: none', () => {
      const f = join(dir, 'b.cjs');
      expect(loader.cacheFor(f, 'abc')).toBeUndefined();
      writeFileSync(`${f}.cache`, Buffer.concat([Buffer.from(`${loader.CACHE_MAGIC}abc\n`), Buffer.from([1, 2, 10, 3])]));
      expect([...loader.cacheFor(f, 'abc')!]).toEqual([1, 2, 10, 3]);
      expect(loader.cacheFor(f, 'abd')).toBeUndefined();
      expect(loader.cacheFor(f, 'ab')).toBeUndefined();
      writeFileSync(`${f}.cache`, Buffer.from([1, 2, 3]));
      expect(loader.cacheFor(f, 'abc')).toBeUndefined();
    });

    it('with --enable-source-maps the bundle is required, so stack traces map to its sources', () => {
      writeFileSync(join(dir, 'src.ts'), "export function boom(): never {\n  throw new Error('boom');\n}\n");
      buildSync({ entryPoints: [join(dir, 'src.ts')], bundle: true, format: 'cjs', platform: 'node', sourcemap: true, outfile: join(dir, 'out.cjs'), logLevel: 'silent' });
      const script = `const { loadBundle } = require(${JSON.stringify(join(ROOT, 'bin/load-bundle.cjs'))});
try { loadBundle(${JSON.stringify(join(dir, 'out.cjs'))}).boom(); } catch (e) { process.stdout.write(e.stack.split('\\n')[1]); }`;
      const mapped = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], { encoding: 'utf8' });
      expect(mapped.stdout).toMatch(/src\.ts:2:/);
      const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(plain.stdout).toMatch(/out\.cjs:\d+:/);
    });

    it('a bundle without an id has none', () => {
      expect(loader.bundleId('module.exports = 1;\n')).toBeUndefined();
    });
  });
});
