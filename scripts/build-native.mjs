#!/usr/bin/env node
// Builds build/native/libioaio.so from our native/src/*.c, one of which
// #includes Marc Lehmann's libeio (eio.c). libeio's code is never committed here; this
// script obtains it, verifies it and compiles it. Plain Node 20, no deps.
//
// Where libeio comes from, first match wins:
//   1. LIBEIO_SRC=/dir       a directory with eio.c eio.h etp.c ecb.h xthread.h
//                            (e.g. IO-AIO-x/libeio from an unpacked tarball)
//   2. native/.libeio/       cache from an earlier fetch (git-ignored), used
//                            when its stamp holds the pinned tarball sha256
//   3. apt-get source        Debian's libio-aio-perl source package (libeio
//                            ships inside IO::AIO), fetched with private apt
//                            state dirs so the system's apt state is untouched
// Overrides for a future version (set both together):
//   LIBEIO_DEB_VERSION       Debian version to fetch (default 4.80-1)
//   LIBEIO_SHA256            sha256 of its .orig tarball
// Compiler: CC (default cc) and CFLAGS (appended, so they can override ours).
// Flags: --sanitize          build libioaio-asan.so with ASan+UBSan
//        --force             compile even if the output is up to date
//        --print-libeio-dir  print the resolved libeio dir on stdout and exit
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const env = process.env;
const DEB_VERSION = env.LIBEIO_DEB_VERSION || '4.80-1';
const SHA256 = (env.LIBEIO_SHA256 || 'd1edbec70739e94646b5300b05e108a41bf6afff776877cb014551db9c8239d3').toLowerCase();
const REQUIRED = ['eio.c', 'eio.h', 'etp.c', 'ecb.h', 'xthread.h'];
const CACHE = join(ROOT, 'native/.libeio');
const CACHE_LIBEIO = join(CACHE, 'libeio');
const STAMP = join(CACHE, 'libeio.sha256');
const BUILD = join(ROOT, 'build/native');

const log = (msg) => process.stderr.write(`ioaio: ${msg}\n`);
const fail = (msg) => { throw new Error(msg); };
const rel = (p) => relative(ROOT, p) || '.';
const missingIn = (dir) => REQUIRED.find((f) => !fs.existsSync(join(dir, f)));
const lastLines = (text, n = 3) => text.trim().split('\n').slice(-n).join(' | ');

// Run a command, capture its output; a missing binary becomes a clear error.
function run(cmd, argv, opts = {}, what = `${cmd} ${argv.at(-1)}`) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 300_000, ...opts });
  if (r.error?.code === 'ENOENT') fail(`${cmd} not found on PATH`);
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${what} exited ${r.status ?? r.signal}: ${lastLines(r.stderr || r.stdout || '')}`);
  return r;
}

function resolveLibeio() {
  if (env.LIBEIO_SRC) {
    // An explicit choice: a bad directory is an error, not a reason to fetch.
    const dir = resolve(env.LIBEIO_SRC);
    const miss = missingIn(dir);
    if (miss) fail(`LIBEIO_SRC=${dir} has no ${miss} (needs ${REQUIRED.join(' ')})`);
    return { dir, where: `LIBEIO_SRC=${dir}` };
  }
  const tried = [];
  const stamp = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
  const miss = missingIn(CACHE_LIBEIO);
  if (stamp === SHA256 && !miss) return { dir: CACHE_LIBEIO, where: `cache ${rel(CACHE_LIBEIO)} (sha256 ${SHA256.slice(0, 12)}…)` };
  tried.push(`cache ${rel(CACHE)}: ${!stamp ? 'empty' : stamp !== SHA256 ? `stamp ${stamp.slice(0, 12)}… is not the pinned sha256` : `missing ${miss}`}`);
  try {
    fetchWithApt();
    return { dir: CACHE_LIBEIO, where: `Debian libio-aio-perl=${DEB_VERSION} via apt-get source (sha256 ok), cached in ${rel(CACHE)}` };
  } catch (e) {
    tried.push(`apt-get source libio-aio-perl=${DEB_VERSION}: ${e.message}`);
  }
  fail(['could not obtain libeio source. Tried:', ...tried.map((t) => `  - ${t}`),
    'Supply it yourself, e.g.:',
    '  LIBEIO_SRC=/path/to/IO-AIO-x/libeio npm ci',
    '  or: apt-get source libio-aio-perl   (needs a deb-src entry), then LIBEIO_SRC=<dir>/IO-AIO-*/libeio',
    '  or: unpack IO-AIO from CPAN and point LIBEIO_SRC at its libeio/ directory'].join('\n'));
}

// deb-src entries derived from the system's own deb entries, so we use the
// same mirrors and keyrings (apt still verifies Debian's signed indexes).
function writeSourceParts(parts) {
  let n = 0;
  const d = '/etc/apt/sources.list.d';
  const names = fs.existsSync(d) ? fs.readdirSync(d).sort() : [];
  for (const name of names.filter((f) => f.endsWith('.sources'))) {
    const text = fs.readFileSync(join(d, name), 'utf8').replace(/^(Types:)(.*)$/gim, (_, k, v) => {
      const types = v.trim().split(/\s+/);
      if (!types.includes('deb')) return `${k}${v}`;
      n++;
      return `${k} ${[...new Set(types.map((t) => (t === 'deb' ? 'deb-src' : t)))].join(' ')}`;
    });
    fs.writeFileSync(join(parts, name), text);
  }
  const lists = ['/etc/apt/sources.list', ...names.filter((f) => f.endsWith('.list')).map((f) => join(d, f))];
  const lines = lists.filter((f) => fs.existsSync(f))
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter((l) => /^\s*deb\s/.test(l)).map((l) => l.replace(/^\s*deb\s/, 'deb-src '));
  n += lines.length;
  if (lines.length) fs.writeFileSync(join(parts, 'from-sources-list.list'), lines.join('\n') + '\n');
  if (!n) fail('no deb entries found in /etc/apt/sources.list or /etc/apt/sources.list.d/');
}

function fetchWithApt() {
  run('apt-get', ['--version']); // turns a missing apt-get into "apt-get not found on PATH"
  const tmp = fs.mkdtempSync(join(tmpdir(), 'ioaio-apt-'));
  fs.mkdirSync(CACHE, { recursive: true });
  const stage = fs.mkdtempSync(join(CACHE, '.extract-')); // same fs as the cache: rename works
  try {
    for (const d of ['lists/partial', 'cache/archives/partial', 'parts', 'dl']) fs.mkdirSync(join(tmp, d), { recursive: true });
    // apt drops root to the _apt user for downloads; mkdtemp's 0700 would lock it out.
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(join(tmp, 'none.list'), '');
    writeSourceParts(join(tmp, 'parts'));
    const o = (kv) => ['-o', kv];
    const opts = ['-q', ...o(`Dir::State::Lists=${tmp}/lists`), ...o(`Dir::Cache=${tmp}/cache`),
      ...o(`Dir::Etc::SourceList=${tmp}/none.list`), ...o(`Dir::Etc::SourceParts=${tmp}/parts`), ...o('Debug::NoLocking=1')];
    run('apt-get', [...opts, 'update'], {}, 'apt-get update');
    run('apt-get', [...opts, 'source', '--download-only', `libio-aio-perl=${DEB_VERSION}`], { cwd: join(tmp, 'dl') }, 'apt-get source');
    const tarball = fs.readdirSync(join(tmp, 'dl')).find((f) => /\.orig\.tar\.\w+$/.test(f));
    if (!tarball) fail('apt-get source downloaded no .orig tarball');
    // Our pin on top of apt's checks: guards against a changed upstream tarball.
    const sha = createHash('sha256').update(fs.readFileSync(join(tmp, 'dl', tarball))).digest('hex');
    if (sha !== SHA256) fail(`sha256 of ${tarball} is ${sha}, expected ${SHA256} (set LIBEIO_SHA256 only if you meant to change LIBEIO_DEB_VERSION)`);
    run('tar', ['-xf', join(tmp, 'dl', tarball), '-C', stage, '--no-same-owner', '--wildcards', '*/libeio/*'], {}, `tar -xf ${tarball}`);
    const top = fs.readdirSync(stage).find((f) => fs.existsSync(join(stage, f, 'libeio')));
    if (!top) fail(`${tarball} has no */libeio/ directory`);
    const miss = missingIn(join(stage, top, 'libeio'));
    if (miss) fail(`${tarball}: libeio/ lacks ${miss}`);
    // Stamp last, so an interrupted run never leaves a cache that looks valid.
    fs.rmSync(STAMP, { force: true });
    fs.rmSync(CACHE_LIBEIO, { recursive: true, force: true });
    fs.renameSync(join(stage, top, 'libeio'), CACHE_LIBEIO);
    fs.writeFileSync(STAMP, `${SHA256}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

// libeio's feature macros (the ones libeio.m4 and eio.c/etp.c test), all true
// on Linux with glibc >= 2.28. Names follow libeio: fallocate is
// HAVE_LINUX_FALLOCATE, syncfs is HAVE_SYS_SYNCFS. HAVE_POSIX_CLOSE is left
// out: glibc 2.36 lacks posix_close and eio.c ignores it on Linux anyway.
// HAVE_AT (the *at() calls) eio.c derives itself from _POSIX_VERSION.
const CONFIG_H = `/* libeio config for Linux/glibc, written by scripts/build-native.mjs */
#ifndef IOAIO_LIBEIO_CONFIG_H
#define IOAIO_LIBEIO_CONFIG_H
#ifndef __linux__
# error "build/native/config.h is written for Linux only"
#endif
#define HAVE_STDINT_H 1
#define HAVE_SYS_SYSCALL_H 1
#define HAVE_SYS_PRCTL_H 1
#define HAVE_UTIMES 1
#define HAVE_FUTIMES 1
#define HAVE_READAHEAD 1
#define HAVE_FDATASYNC 1
#define HAVE_SENDFILE 1
#define HAVE_SYNC_FILE_RANGE 1
#define HAVE_LINUX_FALLOCATE 1
#define HAVE_SYS_SYNCFS 1
#define HAVE_PRCTL_SET_NAME 1
#define HAVE_RENAMEAT2 1
#endif
`;

// Newest mtime of all files under the given paths (missing paths count as 0).
function newest(paths) {
  let t = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const st = fs.statSync(p);
    if (st.isDirectory()) t = Math.max(t, newest(fs.readdirSync(p).map((f) => join(p, f))));
    else t = Math.max(t, st.mtimeMs);
  }
  return t;
}

function compile(libeio) {
  fs.mkdirSync(BUILD, { recursive: true });
  const config = join(BUILD, 'config.h');
  // Rewrite only on change, so its mtime does not force needless rebuilds.
  if (!fs.existsSync(config) || fs.readFileSync(config, 'utf8') !== CONFIG_H) fs.writeFileSync(config, CONFIG_H);
  // Every native/src/*.c goes into the one library (eio-embed.c #includes
  // libeio's eio.c); the list is part of the cmd.
  const srcDir = join(ROOT, 'native/src');
  const srcs = fs.existsSync(srcDir) ? fs.readdirSync(srcDir).filter((f) => f.endsWith('.c')).sort().map((f) => `native/src/${f}`) : [];
  if (!srcs.length) fail('no native/src/*.c to compile');
  const sanitize = args.has('--sanitize');
  const out = join(BUILD, sanitize ? 'libioaio-asan.so' : 'libioaio.so');
  const [cc, ...ccArgs] = (env.CC || 'cc').trim().split(/\s+/);
  const argv = [...ccArgs,
    ...(sanitize ? ['-fsanitize=address,undefined', '-fno-omit-frame-pointer', '-O1'] : ['-O2']),
    '-g', '-fPIC', '-shared', '-pthread', '-fvisibility=hidden', '-D_GNU_SOURCE',
    // libeio's threads live as long as the process and run code in this
    // library; koffi dlclose()s it at exit, and an idle worker waking from
    // its timed wait then jumped into unmapped code (SIGSEGV at exit, seen
    // with treescan). nodelete keeps it mapped.
    '-Wl,-z,nodelete',
    // libeio via -isystem, not -I: GCC then silences warnings inside eio.c,
    // etp.c and ecb.h, while -Wall stays on for our own code. Flow warnings
    // escape that rule: eio.c:1876 'dirfd' gives a false maybe-uninitialized.
    '-Ibuild/native', '-Inative/include', '-isystem', libeio, '-Wall', '-Wno-maybe-uninitialized',
    ...(env.CFLAGS || '').split(/\s+/).filter(Boolean),
    ...srcs, '-o', rel(out) + '.tmp'];
  // The command line is part of the up-to-date check (CC, CFLAGS, libeio dir).
  const cmdFile = `${out}.cmd`;
  const cmd = JSON.stringify([cc, ...argv]);
  const inputs = [join(ROOT, 'native/src'), join(ROOT, 'native/include'), config, libeio, fileURLToPath(import.meta.url)];
  if (!args.has('--force') && fs.existsSync(out) && fs.existsSync(cmdFile) &&
      fs.readFileSync(cmdFile, 'utf8') === cmd && fs.statSync(out).mtimeMs > newest(inputs)) {
    log(`${rel(out)} is up to date`);
    return;
  }
  const r = spawnSync(cc, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) fs.rmSync(`${out}.tmp`, { force: true });
  if (r.error?.code === 'ENOENT') fail(`C compiler '${cc}' not found (set CC or install gcc)`);
  if (r.error) fail(`${cc}: ${r.error.message}`);
  if (r.status !== 0) fail(`compiling ${rel(out)} failed (${cc} exited ${r.status ?? r.signal})`);
  // Rename into place: a half-written file is never left behind, and a process
  // that has the old library mapped keeps its (unlinked) copy intact.
  fs.renameSync(`${out}.tmp`, out);
  fs.writeFileSync(cmdFile, cmd);
  log(`compiled ${rel(out)}`);
}

try {
  for (const a of args) if (!['--sanitize', '--force', '--print-libeio-dir'].includes(a)) fail(`unknown option ${a}`);
  const { dir, where } = resolveLibeio();
  log(`libeio source: ${where}`);
  if (args.has('--print-libeio-dir')) process.stdout.write(`${dir}\n`);
  else compile(dir);
} catch (e) {
  log(`error: ${e.message}`);
  process.exit(1);
}
