// Every koffi declaration of the project lives here (house rule 6).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ABI_VERSION } from './kinds.js';
import { loadKoffi } from './koffi-loader.js';

/**
 * Where the native pieces come from, for a host that carries them itself
 * (the single executable extracts both from its own file). Either function is
 * called once, at the first request.
 */
export interface NativeSource {
  /** The path of libioaio.so to load (IOAIO_LIBRARY still wins). */
  library?: () => string;
  /** The koffi module. */
  koffi?: () => typeof import('koffi');
}

let source: NativeSource = {};

/** Sets where the native pieces come from; only before the library is first used. */
export function setNativeSource(src: NativeSource): void {
  if (native) throw new Error('ioaio: setNativeSource() after the native library was loaded');
  source = src;
}

/** Opaque context pointer (a koffi External). */
export type Ctx = object;
type Path = string | Uint8Array;

export interface Native {
  abiVersion(): number;
  kindName(kind: number): string | null;
  ctxNew(): Ctx | null;
  ctxFree(ctx: Ctx): number;
  pollFileno(ctx: Ctx): number;
  ctxNreqs(ctx: Ctx): number;
  reqPath(ctx: Ctx, kind: number, pri: number, wd: number, path: Path, a: number, b: number): number;
  reqPath2(ctx: Ctx, kind: number, pri: number, wd: number, path: Path, wd2: number, path2: Path, a: number): number;
  reqCopyfiles(ctx: Ctx, pri: number, wd: number, wd2: number, names: Uint8Array, len: number, flags: number): number;
  reqFd(ctx: Ctx, kind: number, pri: number, fd: number, a: number, b: number, c: number): number;
  reqBuf(ctx: Ctx, kind: number, pri: number, fd: number, buf: Uint8Array, len: number, offset: number): number;
  reqCtl(ctx: Ctx, kind: number, pri: number, fd: number, cmd: number, buf: Uint8Array | null, arg: number): number;
  reqMem(ctx: Ctx, kind: number, pri: number, buf: Uint8Array | null, len: number, flags: number): number;
  munlock(buf: Uint8Array, len: number): number;
  munlockall(): number;
  mmap(len: number, prot: number, flags: number, fd: number, offset: number, err: Int32Array): object | null;
  mmapRetire(addr: object, len: number): number;
  munmap(addr: object, len: number): number;
  madvise(buf: Uint8Array, len: number, advice: number): number;
  mprotect(buf: Uint8Array, len: number, prot: number): number;
  mremap(addr: object, oldLen: number, newLen: number, flags: number, err: Int32Array): object | null;
  fexecve(fd: number, argv: Uint8Array, argc: number, envp: Uint8Array, envc: number): number;
  /** A zero-copy ArrayBuffer over len bytes at addr (koffi.view). */
  view(addr: object, len: number): ArrayBuffer;
  reqStatBatch(ctx: Ctx, pri: number, follow: number, dircache: number, paths: Uint8Array, len: number, count: number): number;
  reqStatFmt(ctx: Ctx, pri: number, follow: number, dircache: number, prog: Uint8Array, progLen: number, paths: Uint8Array, len: number, count: number): number;
  dirCacheNew(ctx: Ctx): number;
  dirCacheFree(ctx: Ctx, dircache: number): number;
  reqTime(ctx: Ctx, kind: number, pri: number, wd: number, path: Path | null, fd: number, atimeSec: number, atimeNsec: number, mtimeSec: number, mtimeNsec: number): number;
  reqMisc(ctx: Ctx, kind: number, pri: number, seconds: number): number;
  setMode(ctx: Ctx, modes: number): number;
  pollFinal(ctx: Ctx, out: Uint8Array, cap: number): number;
  submitFlush(ctx: Ctx): number;
  cancel(ctx: Ctx, slot: number): number;
  walkNew(ctx: Ctx, flags: number, term: number, maxDepth: number): number;
  walkPush(ctx: Ctx, walk: number, path: Path, depth: number): number;
  walkPending(ctx: Ctx, walk: number): number;
  walkFree(ctx: Ctx, walk: number): number;
  rmNew(ctx: Ctx, flags: number, globs: Uint8Array | null, len: number): number;
  rmPush(ctx: Ctx, rm: number, wd: number, path: Path): number;
  rmPending(ctx: Ctx, rm: number): number;
  rmStop(ctx: Ctx, rm: number): number;
  rmFree(ctx: Ctx, rm: number): number;
  globMatch(pat: Uint8Array, plen: number, s: Uint8Array, slen: number): number;
  poll(ctx: Ctx, out: Uint8Array, cap: number): number;
  take(ctx: Ctx, slot: number, out: Uint8Array, cap: number): number;
  pollWait(ctx: Ctx, timeoutMs: number): number;
  setMinParallel(n: number): void;
  setMaxParallel(n: number): void;
  setMaxIdle(n: number): void;
  setIdleTimeout(seconds: number): void;
  setMaxPollReqs(n: number): void;
  nreqs(): number;
  nready(): number;
  npending(): number;
  nthreads(): number;
  getFdlimit(): number;
  minFdlimit(n: number): number;
  fadvise(fd: number, offset: number, len: number, advice: number): number;
  pipe2(flags: number, fds: Int32Array): number;
  pipesize(fd: number, size: number): number;
  splice(fdIn: number, offIn: number, fdOut: number, offOut: number, len: number, flags: number): number;
  tee(fdIn: number, fdOut: number, len: number, flags: number): number;
  memfdCreate(name: string, flags: number): number;
  eventfd(initval: number, flags: number): number;
  timerfdCreate(clockid: number, flags: number): number;
  timerfdSettime(fd: number, flags: number, interval: number, value: number, old: Float64Array): number;
  timerfdGettime(fd: number, cur: Float64Array): number;
  pidfdOpen(pid: number, flags: number): number;
  pidfdSendSignal(pidfd: number, sig: number, flags: number): number;
  pidfdGetfd(pidfd: number, targetfd: number, flags: number): number;
  mount(special: string | null, path: string, fstype: string | null, flags: number, data: string | null): number;
  umount(path: string, flags: number): number;
}

/** The package folder holding build/native/<name>, walking up from this file (null if none). */
function packageRoot(name: string): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'build', 'native', name))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Where the compiled library is: IOAIO_LIBRARY, the host's (setNativeSource), or build/native above this file. */
export function libraryPath(): string {
  return locate().path;
}

function locate(): { path: string; root: string | null } {
  const env = process.env.IOAIO_LIBRARY;
  if (env) return { path: env, root: null };
  if (source.library) return { path: source.library(), root: null };
  const name = process.env.IOAIO_SANITIZE ? 'libioaio-asan.so' : 'libioaio.so';
  const root = packageRoot(name);
  if (root === null) throw new Error(`ioaio: build/native/${name} not found; run \`npm run build:native\` (or set IOAIO_LIBRARY)`);
  return { path: join(root, 'build', 'native', name), root };
}

let native: Native | undefined;

export function loadNative(): Native {
  if (native) return native;
  const { path, root } = locate();
  const koffi = source.koffi ? source.koffi() : loadKoffi(createRequire(import.meta.url), root);
  const lib = koffi.load(path);
  koffi.opaque('ioaio_ctx');
  const f = (proto: string) => lib.func(proto) as unknown as (...args: unknown[]) => never;
  const n: Native = {
    abiVersion: f('int ioaio_abi_version(void)'),
    kindName: f('const char *ioaio_kind_name(int kind)'),
    ctxNew: f('ioaio_ctx *ioaio_ctx_new(void)'),
    ctxFree: f('int ioaio_ctx_free(ioaio_ctx *ctx)'),
    pollFileno: f('int ioaio_poll_fileno(ioaio_ctx *ctx)'),
    ctxNreqs: f('unsigned int ioaio_ctx_nreqs(ioaio_ctx *ctx)'),
    reqPath: f('int ioaio_req_path(ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int64_t a, int64_t b)'),
    reqPath2: f('int ioaio_req_path2(ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int wd2, const char *path2, int64_t a)'),
    reqCopyfiles: f('int ioaio_req_copyfiles(ioaio_ctx *ctx, int pri, int wd, int wd2, const void *names, int64_t len, int64_t flags)'),
    reqFd: f('int ioaio_req_fd(ioaio_ctx *ctx, int kind, int pri, int fd, int64_t a, int64_t b, int64_t c)'),
    reqBuf: f('int ioaio_req_buf(ioaio_ctx *ctx, int kind, int pri, int fd, void *buf, int64_t len, int64_t offset)'),
    reqCtl: f('int ioaio_req_ctl(ioaio_ctx *ctx, int kind, int pri, int fd, int64_t cmd, void *buf, int64_t arg)'),
    reqMem: f('int ioaio_req_mem(ioaio_ctx *ctx, int kind, int pri, void *buf, int64_t len, int flags)'),
    munlock: f('int ioaio_munlock(void *buf, int64_t len)'),
    munlockall: f('int ioaio_munlockall(void)'),
    mmap: f('void *ioaio_mmap(int64_t len, int prot, int flags, int fd, int64_t offset, _Out_ int *err)'),
    mmapRetire: f('int ioaio_mmap_retire(void *addr, int64_t len)'),
    munmap: f('int ioaio_munmap(void *addr, int64_t len)'),
    madvise: f('int ioaio_madvise(void *addr, int64_t len, int advice)'),
    mprotect: f('int ioaio_mprotect(void *addr, int64_t len, int prot)'),
    mremap: f('void *ioaio_mremap(void *addr, int64_t old_len, int64_t new_len, int flags, _Out_ int *err)'),
    fexecve: f('int ioaio_fexecve(int fd, const uint8_t *argv_block, int argc, const uint8_t *envp_block, int envc)'),
    view: (addr: object, len: number) => koffi.view(addr, len),
    reqStatBatch: f('int ioaio_req_statbatch(ioaio_ctx *ctx, int pri, int follow, int dircache, void *paths, int64_t len, int64_t count)'),
    reqStatFmt: f('int ioaio_req_statfmt(ioaio_ctx *ctx, int pri, int follow, int dircache, void *prog, int64_t prog_len, void *paths, int64_t len, int64_t count)'),
    dirCacheNew: f('int ioaio_dircache_new(ioaio_ctx *ctx)'),
    dirCacheFree: f('int ioaio_dircache_free(ioaio_ctx *ctx, int dircache)'),
    reqTime: f('int ioaio_req_time(ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int fd, int64_t as, int64_t ans, int64_t ms, int64_t mns)'),
    reqMisc: f('int ioaio_req_misc(ioaio_ctx *ctx, int kind, int pri, double seconds)'),
    setMode: f('int ioaio_ctx_set_mode(ioaio_ctx *ctx, int modes)'),
    pollFinal: f('int ioaio_poll_final(ioaio_ctx *ctx, void *out, int cap)'),
    submitFlush: f('int ioaio_submit_flush(ioaio_ctx *ctx)'),
    cancel: f('int ioaio_cancel(ioaio_ctx *ctx, int slot)'),
    walkNew: f('int ioaio_walk_new(ioaio_ctx *ctx, int flags, int term, int max_depth)'),
    walkPush: f('int ioaio_walk_push(ioaio_ctx *ctx, int walk, const char *path, int depth)'),
    walkPending: f('int ioaio_walk_pending(ioaio_ctx *ctx, int walk)'),
    walkFree: f('int ioaio_walk_free(ioaio_ctx *ctx, int walk)'),
    rmNew: f('int ioaio_rm_new(ioaio_ctx *ctx, int flags, const void *globs, int64_t len)'),
    rmPush: f('int ioaio_rm_push(ioaio_ctx *ctx, int rm, int wd, const char *path)'),
    rmPending: f('int ioaio_rm_pending(ioaio_ctx *ctx, int rm)'),
    rmStop: f('int ioaio_rm_stop(ioaio_ctx *ctx, int rm)'),
    rmFree: f('int ioaio_rm_free(ioaio_ctx *ctx, int rm)'),
    globMatch: f('int ioaio_glob_match(const void *pat, int64_t plen, const void *s, int64_t slen)'),
    poll: f('int ioaio_poll(ioaio_ctx *ctx, void *out, int cap)'),
    take: f('int64_t ioaio_take(ioaio_ctx *ctx, int slot, void *out, int64_t cap)'),
    pollWait: f('int ioaio_poll_wait(ioaio_ctx *ctx, int timeout_ms)'),
    setMinParallel: f('void ioaio_set_min_parallel(unsigned int n)'),
    setMaxParallel: f('void ioaio_set_max_parallel(unsigned int n)'),
    setMaxIdle: f('void ioaio_set_max_idle(unsigned int n)'),
    setIdleTimeout: f('void ioaio_set_idle_timeout(unsigned int seconds)'),
    setMaxPollReqs: f('void ioaio_set_max_poll_reqs(unsigned int n)'),
    nreqs: f('unsigned int ioaio_nreqs(void)'),
    nready: f('unsigned int ioaio_nready(void)'),
    npending: f('unsigned int ioaio_npending(void)'),
    nthreads: f('unsigned int ioaio_nthreads(void)'),
    getFdlimit: f('int ioaio_get_fdlimit(void)'),
    minFdlimit: f('int ioaio_min_fdlimit(int n)'),
    fadvise: f('int ioaio_fadvise(int fd, int64_t offset, int64_t len, int advice)'),
    pipe2: f('int ioaio_pipe2(int flags, _Out_ int32_t *fds)'),
    pipesize: f('int ioaio_pipesize(int fd, int size)'),
    splice: f('int64_t ioaio_splice(int fd_in, int64_t off_in, int fd_out, int64_t off_out, int64_t len, unsigned int flags)'),
    tee: f('int64_t ioaio_tee(int fd_in, int fd_out, int64_t len, unsigned int flags)'),
    memfdCreate: f('int ioaio_memfd_create(const char *name, unsigned int flags)'),
    eventfd: f('int ioaio_eventfd(unsigned int initval, int flags)'),
    timerfdCreate: f('int ioaio_timerfd_create(int clockid, int flags)'),
    timerfdSettime: f('int ioaio_timerfd_settime(int fd, int flags, double interval, double value, _Out_ double *old)'),
    timerfdGettime: f('int ioaio_timerfd_gettime(int fd, _Out_ double *cur)'),
    pidfdOpen: f('int ioaio_pidfd_open(int pid, unsigned int flags)'),
    pidfdSendSignal: f('int ioaio_pidfd_send_signal(int pidfd, int sig, unsigned int flags)'),
    pidfdGetfd: f('int ioaio_pidfd_getfd(int pidfd, int targetfd, unsigned int flags)'),
    mount: f('int ioaio_mount(const char *special, const char *path, const char *fstype, double flags, const char *data)'),
    umount: f('int ioaio_umount(const char *path, int flags)'),
  };
  const abi = n.abiVersion();
  if (abi !== ABI_VERSION) {
    throw new Error(`ioaio: ${path} has ABI ${abi}, this code needs ${ABI_VERSION}; rebuild with \`npm run build:native\``);
  }
  native = n;
  return n;
}
