// Loads dist/bundle/ioaio.cjs as require() would, but compiled from V8's
// code cache for it (dist/bundle/ioaio.cjs.cache, written by
// scripts/code-cache.mjs at build time) when there is one that matches.
//
// Perf: compiling the 330 kB bundle, and then the functions a command runs,
// was a sixth of every command's start: `npm run bench:startup`, 40
// alternating rounds, 2026-12-03: `treescan EMPTY_DIR` 47.8 ms from the
// installed bin against 56.8 ms for the same bundle by require().
//
// A cache is used only for the very bundle it was made from: the bundle's
// last line names a hash of its content and the cache's first line must name
// the same (V8 itself only compares the source's length). A cache V8 rejects
// (another Node or other V8 flags) costs nothing but the compile it did not
// save.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

const ID_PREFIX = '//# ioaio-bundle-id=';
const CACHE_MAGIC = 'ioaio-code-cache ';

/** The content id a bundle names on its last line, or undefined. */
function bundleId(src) {
  const at = src.lastIndexOf(ID_PREFIX);
  return at < 0 ? undefined : src.slice(at + ID_PREFIX.length).trim();
}

/** The cache's V8 data if it was made from the bundle with this id. */
function cacheFor(file, id) {
  let buf;
  try {
    buf = readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(10);
  if (nl < 0 || buf.toString('latin1', 0, nl) !== CACHE_MAGIC + id) return undefined;
  return buf.subarray(nl + 1);
}

/**
 * The bundle's exports. With onExit, the V8 code cache of what ran is handed
 * to it when the process exits (scripts/code-cache.mjs makes the cache so).
 */
function loadBundle(file, onExit) {
  // Node maps stack traces through the bundle's source map only for code its
  // own loader compiled.
  if (process.sourceMapsEnabled && !onExit) return require(file);
  const src = readFileSync(file, 'utf8');
  const id = bundleId(src);
  const cachedData = id && !onExit ? cacheFor(file, id) : undefined;
  const script = new vm.Script(Module.wrap(src), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  require.cache[file] = mod; // as require() would: a later require(file) gets this one
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  if (onExit && id) process.on('exit', () => onExit(CACHE_MAGIC + id, script.createCachedData()));
  return mod.exports;
}

module.exports = { loadBundle, bundleId, cacheFor, CACHE_MAGIC, ID_PREFIX };
