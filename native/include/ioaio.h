/*
 * ioaio: our small C layer over libeio, loaded from Node through koffi.
 *
 * Design (see docs/native.md):
 * - One prefix, ioaio_. Every call that can fail returns a negative errno.
 * - Workers never call into JS. libeio's want_poll hook writes one byte to
 *   each context's non-blocking pipe; the JS side watches the read end and
 *   calls ioaio_poll, which serialises every finished request into one
 *   caller-supplied buffer: one FFI crossing per batch, not per request.
 * - A context (ioaio_ctx) owns a pipe, a slot table (request ids) and a table
 *   of working-directory handles. libeio's pool is process-wide and started
 *   once; any number of contexts (module copies, worker threads) share it, and
 *   each only ever sees its own completions.
 */
#ifndef IOAIO_H
#define IOAIO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
# define IOAIO_API __attribute__((visibility("default")))
#else
# define IOAIO_API
#endif

/* Bumped whenever a signature, a kind number or a record layout changes. */
#define IOAIO_ABI_VERSION 22

typedef struct ioaio_ctx ioaio_ctx;

/* Request kinds, in ABI order, each once: its enum name and its name
 * (ioaio_kind_name, error messages). The TypeScript side mirrors the names
 * in the same order (src/aio/native/kinds.ts) and a test checks both against
 * this list and against ioaio_kind_name. Append; never reorder. */
#define IOAIO_KINDS(X) \
  X (NOP, "nop") X (BUSY, "busy") X (SYNC, "sync") X (OPEN, "open") \
  X (CLOSE, "close") X (SEEK, "seek") X (READ, "read") X (WRITE, "write") \
  X (SENDFILE, "sendfile") X (READAHEAD, "readahead") X (STAT, "stat") X (LSTAT, "lstat") \
  X (FSTAT, "fstat") X (STATVFS, "statvfs") X (FSTATVFS, "fstatvfs") X (UTIME, "utime") \
  X (FUTIME, "futime") X (CHOWN, "chown") X (FCHOWN, "fchown") X (CHMOD, "chmod") \
  X (FCHMOD, "fchmod") X (TRUNCATE, "truncate") X (FTRUNCATE, "ftruncate") X (ALLOCATE, "allocate") \
  X (UNLINK, "unlink") X (MKNOD, "mknod") X (LINK, "link") X (SYMLINK, "symlink") \
  X (READLINK, "readlink") X (REALPATH, "realpath") X (RENAME, "rename") X (MKDIR, "mkdir") \
  X (RMDIR, "rmdir") X (READDIR, "readdir") X (FSYNC, "fsync") X (FDATASYNC, "fdatasync") \
  X (SYNCFS, "syncfs") X (SYNC_FILE_RANGE, "sync_file_range") X (WD_OPEN, "wd_open") X (WD_CLOSE, "wd_close") \
  X (LOAD, "load") X (COPY, "copy") X (WALKSTEP, "walkstep") X (STATBATCH, "statbatch") \
  X (COPYFILE, "copyfile") X (COPYFILES, "copyfiles") X (RMSTEP, "rmstep") \
  X (FCNTL, "fcntl") X (IOCTL, "ioctl") X (FIEMAP, "fiemap") X (MLOCK, "mlock") \
  X (MLOCKALL, "mlockall") X (MSYNC, "msync") X (MTOUCH, "mtouch")
enum ioaio_kind {
#define IOAIO_KIND_ENUM_(k, name) IOAIO_##k,
  IOAIO_KINDS (IOAIO_KIND_ENUM_)
#undef IOAIO_KIND_ENUM_
  IOAIO_KIND_COUNT
};

/* Completion record layout, written by ioaio_poll into the caller's buffer.
 * The buffer starts with an 8-byte header { u32 used_bytes; u32 flags } and
 * then records, each 8-byte aligned:
 *   u32 slot; u32 len (whole record, multiple of 8);
 *   f64 result;   (syscall result; seek: new offset; wd_open: wd id;
 *                 a failed copyfile: -1 - IOAIO_CF_AT_*)
 *   i32 errno;    (0, or the errno of a failed request)
 *   u8  kind; u8 rflags (IOAIO_R_*); u16 0
 *   payload (len - 24 bytes), by kind:
 *   stat/lstat/fstat: IOAIO_STAT_FIELDS f64 values in enum ioaio_stat_field order
 *   statvfs/fstatvfs: IOAIO_STATVFS_FIELDS f64 values
 *   readdir: u32 count; u32 names_bytes; u32 flags; u32 0;
 *            count x { f64 ino; u32 name_off; u16 name_len; u8 type; u8 0 }; names
 *   copyfile: IOAIO_STAT_FIELDS f64 values, the source's lstat
 *   copyfiles: per name, IOAIO_CF_RECORD_FIELDS f64 values (result is their bytes):
 *            outcome (>= 0) or -errno, mode, size, nlink, dev, ino, IOAIO_CF_AT_*
 *   readlink/realpath/load: the bytes (result is their length)
 * A payload larger than IOAIO_INLINE_MAX is "detached" (rflags has
 * IOAIO_R_DETACHED): the record carries { f64 bytes } instead and the caller
 * fetches it with ioaio_take(ctx, slot, buf, bytes), which also frees it. */
#define IOAIO_POLL_HEADER 8
#define IOAIO_REC_HEADER 24
/* Byte offsets of the fields above, named once (poll.c asserts them
 * against its struct, loop.ts reads by them, a test compares the two). */
enum {
  IOAIO_POLL_FLAGS_AT = 4,   /* the buffer header's u32 flags */
  IOAIO_REC_SLOT_AT = 0,     /* u32 */
  IOAIO_REC_LEN_AT = 4,      /* u32 */
  IOAIO_REC_RESULT_AT = 8,   /* f64 */
  IOAIO_REC_ERRNO_AT = 16,   /* i32 */
  IOAIO_REC_KIND_AT = 20,    /* u8 */
  IOAIO_REC_RFLAGS_AT = 21,  /* u8 */
};
#define IOAIO_INLINE_MAX (64 * 1024)

enum {
  IOAIO_R_CANCELLED = 1, /* cancelled; with errno ECANCELED it never ran */
  IOAIO_R_DETACHED = 2,  /* payload must be fetched with ioaio_take */
};

enum {
  IOAIO_POLL_MORE_RESULTS = 1, /* libeio stopped early (max poll reqs/time): poll again soon */
  IOAIO_POLL_MORE_DONE = 2,    /* the buffer filled up: call ioaio_poll again */
};

enum ioaio_stat_field {
  IOAIO_ST_DEV, IOAIO_ST_INO, IOAIO_ST_MODE, IOAIO_ST_NLINK, IOAIO_ST_UID, IOAIO_ST_GID,
  IOAIO_ST_RDEV, IOAIO_ST_SIZE, IOAIO_ST_BLKSIZE, IOAIO_ST_BLOCKS,
  IOAIO_ST_ATIME, IOAIO_ST_ATIME_NS, IOAIO_ST_MTIME, IOAIO_ST_MTIME_NS,
  IOAIO_ST_CTIME, IOAIO_ST_CTIME_NS, IOAIO_ST_BTIME, IOAIO_ST_BTIME_NS, /* btime -1 when unknown */
  /* ino and size exactly, in 32-bit halves: the f64 fields above round
   * above 2^53 (64-bit inode numbers on NFS, btrfs, overlayfs; sparse
   * files up to 2^63 bytes) */
  IOAIO_ST_INO_HI, IOAIO_ST_INO_LO, IOAIO_ST_SIZE_HI, IOAIO_ST_SIZE_LO,
  IOAIO_STAT_FIELDS
};

enum ioaio_statvfs_field {
  IOAIO_VFS_BSIZE, IOAIO_VFS_FRSIZE, IOAIO_VFS_BLOCKS, IOAIO_VFS_BFREE, IOAIO_VFS_BAVAIL,
  IOAIO_VFS_FILES, IOAIO_VFS_FFREE, IOAIO_VFS_FAVAIL, IOAIO_VFS_FSID, IOAIO_VFS_FLAG,
  IOAIO_VFS_NAMEMAX,
  IOAIO_STATVFS_FIELDS
};

/* A walk's lines (walk.c): "path/name" (+ '/' for directories with
 * IOAIO_LIST_SLASH) + the byte term, for the entry kinds the flags ask for. */
enum {
  IOAIO_LIST_DIRS = 1,       /* lines for directories */
  IOAIO_LIST_OTHERS = 2,     /* lines for everything else */
  IOAIO_LIST_SLASH = 4,      /* directories' lines end in '/' */
};

/* Tree walks (walk.c): a stack of directories to list, shared by the
 * IOAIO_WALKSTEP requests that advance it on libeio's threads. Each step pops
 * directories, lists them as lines (flags: IOAIO_LIST_DIRS, _OTHERS,
 * _SLASH; term ends each line), pushes their subdirectories (opened later
 * relative to their parent's fd) while depth < max_depth, and stops once it
 * has budget bytes of lines or has run for budget_us microseconds, or when the
 * stack is empty.
 *   ioaio_walk_new -> walk id (> 0); ioaio_walk_push puts path (listed as
 *   given, at depth) on the stack; ioaio_walk_pending counts the stack;
 *   ioaio_walk_free (-EBUSY while steps are unpolled) closes what is left.
 *   step: ioaio_req_fd(ctx, IOAIO_WALKSTEP, pri, walk, budget, budget_us, 0)
 * Step payload: u32 lines_len, u32 records_len, u32 dirs, files, symlinks,
 * others (entries seen, by type), u32 listed (directories), u32 pending (stack
 * size when the step ended); the lines; then records { u32 errno; u32 depth;
 * u32 len; path bytes }: errno 0 is an entry of unknown type (d_type) for the
 * caller to stat, else a directory that could not be opened or read. */
IOAIO_API int ioaio_walk_new (ioaio_ctx *ctx, int flags, int term, int max_depth);
IOAIO_API int ioaio_walk_push (ioaio_ctx *ctx, int walk, const char *path, int depth);
IOAIO_API int ioaio_walk_pending (ioaio_ctx *ctx, int walk);
IOAIO_API int ioaio_walk_free (ioaio_ctx *ctx, int walk);

/* statbatch's follow argument: flags. IOAIO_SB_FOLLOW is stat (not lstat);
 * the CACHED ones are GNU stat's --cached=always|never, statx's
 * AT_STATX_DONT_SYNC / AT_STATX_FORCE_SYNC: on NFS and FUSE, whether the
 * attributes the client already holds may answer (always: no GETATTR round
 * trip after the lookup, but attributes may be as old as the client's
 * cache) or must be fetched again (never). Neither: the filesystem's
 * default, as stat(2). */
/* IOAIO_SB_SEP_NL: each path ends in '\n', not NUL (pstat hands over its
 * input as read); a record that is empty, or holds a NUL, fails with
 * IOAIO_ERR_EMPTY / IOAIO_ERR_NUL (above every errno) instead of being
 * stat'ed. */
enum { IOAIO_SB_FOLLOW = 1, IOAIO_SB_CACHED_ALWAYS = 2, IOAIO_SB_CACHED_NEVER = 4, IOAIO_SB_SEP_NL = 8 };
enum { IOAIO_ERR_EMPTY = 0x10001, IOAIO_ERR_NUL = 0x10002 };
/* Many paths stat'ed in one request (statbatch.c), kind IOAIO_STATBATCH:
 * paths: count NUL-terminated paths back to back in len bytes, kept alive by
 * the caller until the request completes; follow: IOAIO_SB_* flags. Paths
 * in a row in the same directory are stat'ed relative to one handle on it;
 * with a dircache (0: none), relative to handles kept across requests.
 * Payload: per path, in order, 1 + IOAIO_STAT_FIELDS f64: errno (0: it
 * worked), then the fields. Returns the slot, or -errno. */
IOAIO_API int ioaio_req_statbatch (ioaio_ctx *ctx, int pri, int follow, int dircache, void *paths, int64_t len,
                                   int64_t count);
/* statbatch with GNU `stat -c` lines built on the worker (statfmt.c), kind
 * IOAIO_STATBATCH: prog/prog_len is a line program (IOAIO_FMT_LIT, u16 LE
 * length, bytes; or one byte naming a directive: GNU's letter, or an
 * IOAIO_FMT_* code below), kept alive by the caller like paths. Payload:
 * struct ioaio_statfmt_head, then nerr x { u32 index; u32 errno; u32 len;
 * u32 0; the path's len bytes, padded to 4 }, then the lines of the paths
 * that worked, in order. Returns the slot, or -errno
 * (-EINVAL for a malformed program). */
enum {
  IOAIO_FMT_LIT = 1,
  IOAIO_FMT_DEV_MAJOR = 2,  /* %Hd */
  IOAIO_FMT_DEV_MINOR = 3,  /* %Ld */
  IOAIO_FMT_RDEV_MAJOR = 4, /* %Hr */
  IOAIO_FMT_RDEV_MINOR = 5, /* %Lr */
};
struct ioaio_statfmt_head {
  uint32_t nerr;                           /* paths that failed */
  uint32_t dirs, files, symlinks, others;  /* paths that worked, by type */
  uint32_t pad;
  double bytes;                            /* sizes of the regular files */
};
IOAIO_API int ioaio_req_statfmt (ioaio_ctx *ctx, int pri, int follow, int dircache, void *prog, int64_t prog_len,
                                 void *paths, int64_t len, int64_t count);
/* Directory handle caches for statbatch (dircache.c): the last 256
 * directories used, opened O_PATH. Free (-EBUSY while requests using it are
 * unpolled) closes them; make one per run, since a handle follows its
 * directory through renames. */
IOAIO_API int ioaio_dircache_new (ioaio_ctx *ctx);
IOAIO_API int ioaio_dircache_free (ioaio_ctx *ctx, int dircache);

/* ioaio_copy flags */
enum {
  IOAIO_COPY_EXCL = 1, /* fail with EEXIST rather than replace dst */
};

/* ioaio_req_path2(ctx, IOAIO_COPYFILE, pri, wd, src, wd2, dst, flags): one
 * tree entry (not a directory) copied whole on a worker thread: lstat src;
 * a regular file's data (reflink, copy_file_range, sendfile or read/write;
 * holes kept), a symlink, fifo, socket or device node made anew; owner (when
 * permitted), mode, xattrs, times to the nanosecond; all under a temporary
 * name (IOAIO_CF_TEMP_PREFIX + 16 hex digits) in dst's directory, renamed
 * onto dst only when complete. The result is an IOAIO_CF_* outcome; the
 * payload is src's lstat. With IOAIO_CF_DIR_META, src and dst are existing
 * directories and only dst's metadata is set from src. */
#define IOAIO_CF_TEMP_PREFIX ".ioaio-cp."
enum {
  IOAIO_CF_REFLINK_NEVER = 0,  /* no clone, no copy_file_range (which may clone) */
  IOAIO_CF_REFLINK_AUTO = 1,   /* FICLONE where the filesystem can, else copy */
  IOAIO_CF_REFLINK_ALWAYS = 2, /* FICLONE or fail with EOPNOTSUPP */
  IOAIO_CF_REFLINK_MASK = 3,
  IOAIO_CF_FSYNC = 4,      /* fsync the file before the rename, the directory after */
  IOAIO_CF_XATTRS = 8,     /* copy extended attributes (ACLs among them) */
  IOAIO_CF_UPDATE = 16,    /* skip when dst has the same type, and for files size and mtime */
  IOAIO_CF_CHECKSUM = 32,  /* skip the data when dst's bytes are the same (metadata is set) */
  IOAIO_CF_DRY_RUN = 64,   /* decide only: nothing is written */
  IOAIO_CF_LINKS = 128,    /* nlink > 1: do nothing, answer IOAIO_CF_HARDLINK */
  IOAIO_CF_DIR_META = 256, /* directories: set dst's owner, mode, xattrs, times */
  IOAIO_CF_REGULAR = 512,  /* a hint (readdir's d_type): src is a regular file, open it
                              without an lstat first; anything else is still copied right */
  IOAIO_CF_NO_CLOBBER = 1024, /* an existing dst is kept (mv -n): answer IOAIO_CF_KEPT
                                 (IOAIO_CF_UPDATE's quick check comes first) */
  IOAIO_CF_NEWER = 2048,      /* an existing dst is replaced only when src's mtime is later
                                 (mv -u); else IOAIO_CF_KEPT (the quick check comes first) */
};
/* ioaio_req_copyfiles: the NUL-terminated names in names[0, len), each
 * copied as copyfile copies it, from below wd to the same name below wd2, in
 * one request; after ENOSPC or EDQUOT the rest are not tried (-ECANCELED). */
IOAIO_API int ioaio_req_copyfiles (ioaio_ctx *ctx, int pri, int wd, int wd2, const void *names,
                                   int64_t len, int64_t flags);
#define IOAIO_CF_RECORD_FIELDS 7
#define IOAIO_CF_CHANGE_TRIES 3
/* Where a copyfile failed, so that the error can name the side and the call
 * (`DST/x: write: no space left on device`): a failed copyfile's result is
 * -1 - IOAIO_CF_AT_*; a copyfiles record's seventh field is it. */
enum ioaio_cf_at {
  IOAIO_CF_AT_NONE,         /* no syscall (no memory, not tried) */
  IOAIO_CF_AT_SRC_OPEN,
  IOAIO_CF_AT_SRC_STAT,     /* lstat, fstat, or what they found changed */
  IOAIO_CF_AT_SRC_READ,     /* read, lseek, copy_file_range or sendfile reading */
  IOAIO_CF_AT_SRC_READLINK,
  IOAIO_CF_AT_SRC_XATTR,    /* listxattr, getxattr */
  IOAIO_CF_AT_DST_OPEN,     /* the destination's directory, or the file compared */
  IOAIO_CF_AT_DST_CREATE,   /* the temporary: open, symlink, mknod */
  IOAIO_CF_AT_DST_WRITE,    /* write, ftruncate, a clone, copy_file_range or sendfile writing */
  IOAIO_CF_AT_DST_READ,     /* reading the destination to compare (IOAIO_CF_CHECKSUM) */
  IOAIO_CF_AT_DST_CHOWN,
  IOAIO_CF_AT_DST_CHMOD,
  IOAIO_CF_AT_DST_XATTR,    /* setxattr */
  IOAIO_CF_AT_DST_FSYNC,
  IOAIO_CF_AT_DST_UTIMENS,
  IOAIO_CF_AT_DST_CLOSE,    /* a deferred write error (NFS) */
  IOAIO_CF_AT_DST_RENAME,
  IOAIO_CF_AT_SRC_CHANGED,  /* EAGAIN: the file changed while it was copied, each of
                               IOAIO_CF_CHANGE_TRIES times (no copy is renamed into place) */
  IOAIO_CF_AT_COUNT
};
enum {
  IOAIO_CF_COPIED = 0,   /* copied (with IOAIO_CF_DRY_RUN: would be) */
  IOAIO_CF_SKIPPED = 1,  /* dst was up to date */
  IOAIO_CF_HARDLINK = 2, /* not copied: src has other links (IOAIO_CF_LINKS) */
  IOAIO_CF_KEPT = 3,     /* not copied: dst exists and is kept (IOAIO_CF_NO_CLOBBER, IOAIO_CF_NEWER) */
};

/* Tree removal (rmtree.c): a stack of directories shared by the IOAIO_RMSTEP
 * requests that advance it on libeio's threads. Each directory is opened
 * relative to its parent's fd, its non-directories unlinked relative to its
 * own, its subdirectories pushed; the worker that finishes a directory's
 * last child rmdirs it, and so on up. Anything kept below a directory (an
 * error, a glob match, another filesystem with IOAIO_RM_XDEV) keeps it and
 * its ancestors, silently. A step with an empty stack waits while other
 * steps still work (their pushes come to it), and returns at its budget.
 *   ioaio_rm_new(ctx, flags, globs, len) -> id (> 0). A directory's names
 *   are unlinked by the worker that lists it (the kernel serialises unlinks
 *   in one directory anyway). globs: the entries to keep, each { 'n'
 *   (matches the name), 'p' (the path below the root) or 'l' (is that path,
 *   byte for byte, no pattern); pattern bytes; NUL }, as src/walk/glob.ts:
 *   '*' '?' stop at '/', '**' crosses it, [...] [!...].
 *   ioaio_rm_push(ctx, id, wd, path): a root directory, path relative to wd
 *   (0: the current directory). ioaio_rm_pending: work left (on the stack
 *   or being done). ioaio_rm_stop: steps end after the entry at hand, and
 *   nothing more is removed. ioaio_rm_free (-EBUSY while steps are unpolled)
 *   closes what is left and removes nothing.
 *   step: ioaio_req_fd(ctx, IOAIO_RMSTEP, pri, id, rec_budget, budget_us, 0)
 * Step payload: IOAIO_RM_HEAD bytes of u32: records_len, directories done,
 * directories on the stack, sequence number, then IOAIO_RM_COUNTS counts
 * (enum below); then records
 * { u8 IOAIO_RM_REC_*; u8 d_type; u8 IOAIO_RM_OP_*; u8 0; u32 errno; u32 len;
 * path bytes }: an entry removed (with IOAIO_RM_LINES; with
 * IOAIO_RM_DRY_RUN, one that would be), a failure, a directory left on
 * another filesystem, in the order they happened across all steps when the
 * steps' payloads are taken in sequence-number order (every step, even one
 * that failed with ENOMEM, uses up a number: its records are then lost).
 * Paths are the root's path as pushed + names below. */
enum { IOAIO_RM_DRY_RUN = 1, IOAIO_RM_LINES = 2, IOAIO_RM_XDEV = 4 };
enum { IOAIO_RM_FILES, IOAIO_RM_DIRS, IOAIO_RM_SYMLINKS, IOAIO_RM_OTHERS, IOAIO_RM_ERRORS, IOAIO_RM_LEFT, IOAIO_RM_KEPT,
       IOAIO_RM_COUNTS };
#define IOAIO_RM_HEAD (4 * (4 + IOAIO_RM_COUNTS))
enum { IOAIO_RM_REC_REMOVED = 1, IOAIO_RM_REC_ERROR = 2, IOAIO_RM_REC_LEFT = 3 };
enum { IOAIO_RM_OP_OPEN = 1, IOAIO_RM_OP_READ, IOAIO_RM_OP_UNLINK, IOAIO_RM_OP_RMDIR, IOAIO_RM_OP_STAT };
IOAIO_API int ioaio_rm_new (ioaio_ctx *ctx, int flags, const void *globs, int64_t globs_len);
IOAIO_API int ioaio_rm_push (ioaio_ctx *ctx, int rm, int wd, const char *path);
IOAIO_API int ioaio_rm_pending (ioaio_ctx *ctx, int rm);
IOAIO_API int ioaio_rm_stop (ioaio_ctx *ctx, int rm);
IOAIO_API int ioaio_rm_free (ioaio_ctx *ctx, int rm);
/* The glob matcher of rm's excludes (1: match, 0: none), for tests. */
IOAIO_API int ioaio_glob_match (const void *pat, int64_t plen, const void *s, int64_t slen);

IOAIO_API int ioaio_abi_version (void);
IOAIO_API const char *ioaio_kind_name (int kind);

/* Contexts. ioaio_ctx_new starts libeio's pool the first time (only once per
 * process however often it is called) and returns NULL with errno set on failure. */
IOAIO_API ioaio_ctx *ioaio_ctx_new (void);
/* -EBUSY while the context still has requests in flight. */
IOAIO_API int ioaio_ctx_free (ioaio_ctx *ctx);
/* A new descriptor for the wake-up pipe's read end, owned by the caller. */
IOAIO_API int ioaio_poll_fileno (ioaio_ctx *ctx);

/* Submission. Each returns a slot id >= 0 or a negative errno. pri is
 * clamped to -4..4. wd is 0 for the current directory or an id from wd_open.
 * a/b/c are per-kind integer arguments (see native/src/submit.c). */
IOAIO_API int ioaio_req_path (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path,
                              int64_t a, int64_t b);
IOAIO_API int ioaio_req_path2 (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path,
                               int wd2, const char *path2, int64_t a);
IOAIO_API int ioaio_req_fd (ioaio_ctx *ctx, int kind, int pri, int fd, int64_t a, int64_t b,
                            int64_t c);
IOAIO_API int ioaio_req_buf (ioaio_ctx *ctx, int kind, int pri, int fd, void *buf,
                             int64_t len, int64_t offset);

/* fcntl(2) / ioctl(2) on a libeio thread (IOAIO_FCNTL, IOAIO_IOCTL): with
 * buf, its address is the argument (a struct the call reads or fills: the
 * caller keeps buf alive until completion); without, the integer arg is.
 * The result is the call's. */
IOAIO_API int ioaio_req_ctl (ioaio_ctx *ctx, int kind, int pri, int fd, int64_t cmd, void *buf, int64_t arg);

/* mlock(2) of [buf, buf + len) (page-aligned outward, as libeio does) or
 * mlockall(2) of flags (IOAIO_MLOCK / IOAIO_MLOCKALL; buf NULL for the
 * latter), on a libeio thread: faulting the pages in is what takes time. */
IOAIO_API int ioaio_req_mem (ioaio_ctx *ctx, int kind, int pri, void *buf, int64_t len, int flags);
/* munlock(2) / munlockall(2), synchronous (syncfd.c): 0 or -errno */
IOAIO_API int ioaio_munlock (void *buf, int64_t len);
IOAIO_API int ioaio_munlockall (void);

/* The mmap family (mmap.c): ioaio_mmap returns the mapping or NULL with
 * *err; ioaio_mmap_retire covers a mapping with anonymous memory in place
 * (what munmap does for a mapping a Buffer may still view); ioaio_munmap
 * really unmaps; madvise and mprotect as the calls (0 or -errno). msync and
 * mtouch are requests: ioaio_req_mem with IOAIO_MSYNC (flags MS_*) or
 * IOAIO_MTOUCH (flags 0 or 1, MT_MODIFY). */
IOAIO_API void *ioaio_mmap (int64_t len, int prot, int flags, int fd, int64_t offset, int *err);
IOAIO_API int ioaio_mmap_retire (void *addr, int64_t len);
IOAIO_API int ioaio_munmap (void *addr, int64_t len);
IOAIO_API int ioaio_madvise (void *addr, int64_t len, int advice);
IOAIO_API int ioaio_mprotect (void *addr, int64_t len, int prot);
/* mremap in place only (flags 0), a shrink covering its tail: no old view
 * is ever left over a hole (mmap.c); NULL with *err */
IOAIO_API void *ioaio_mremap (void *addr, int64_t old_len, int64_t new_len, int flags, int *err);
/* fexecve(3) with argv/envp as argc/envc NUL-terminated strings in a row;
 * returns only on failure, -errno (syncfd.c) */
IOAIO_API int ioaio_fexecve (int fd, const char *argv_block, int argc, const char *envp_block, int envc);
/* utime/futime: seconds and nanoseconds apart; a nanoseconds value may be
 * UTIME_NOW or UTIME_OMIT (see utimensat(2)); else 0..999999999 or -EINVAL. */
IOAIO_API int ioaio_req_time (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path,
                              int fd, int64_t atime_sec, int64_t atime_nsec,
                              int64_t mtime_sec, int64_t mtime_nsec);
IOAIO_API int ioaio_req_misc (ioaio_ctx *ctx, int kind, int pri, double seconds);

/* Modes for a host loop that runs in turns (Node's does), both off by default:
 * IOAIO_MODE_BATCH: submissions are staged in the context and go to libeio
 *   together, under one lock and one wake-up, at ioaio_submit_flush (which
 *   ioaio_poll and ioaio_poll_wait also do first).
 * IOAIO_MODE_TURNS: after ioaio_poll the host promises to call
 *   ioaio_poll_final at the end of its turn, so workers skip the wake-up
 *   byte meanwhile; ioaio_poll_final re-arms the byte and polls once more,
 *   so nothing that arrived in between is missed. (Fewer pipe writes, epoll
 *   wake-ups and reads while results keep coming.) */
enum {
  IOAIO_MODE_BATCH = 1,
  IOAIO_MODE_TURNS = 2,
};
IOAIO_API int ioaio_ctx_set_mode (ioaio_ctx *ctx, int modes);
/* Returns how many staged requests were submitted. */
IOAIO_API int ioaio_submit_flush (ioaio_ctx *ctx);

/* ioaio_req_path(IOAIO_WD_OPEN, ..., path, 1, 0) opens a plain handle: one
 * O_PATH openat, no realpath (libeio's wd_open, a = 0, canonicalises). */

/* Cancel by slot: 0, or -ENOENT when the slot holds no request in flight. */
IOAIO_API int ioaio_cancel (ioaio_ctx *ctx, int slot);

/* Completion. Returns the number of records written (>= 0) or a negative errno. */
IOAIO_API int ioaio_poll (ioaio_ctx *ctx, uint8_t *out, int cap);
/* The end-of-turn poll of IOAIO_MODE_TURNS (see above); like ioaio_poll. */
IOAIO_API int ioaio_poll_final (ioaio_ctx *ctx, uint8_t *out, int cap);
IOAIO_API int64_t ioaio_take (ioaio_ctx *ctx, int slot, uint8_t *out, int64_t cap);
/* Blocks until a result is ready for polling or timeout_ms passes (-1: forever).
 * Returns 1 when ready, 0 on timeout. */
IOAIO_API int ioaio_poll_wait (ioaio_ctx *ctx, int timeout_ms);

/* Pool control and statistics: libeio's own, process-wide. */
IOAIO_API void ioaio_set_min_parallel (unsigned n);
IOAIO_API void ioaio_set_max_parallel (unsigned n);
IOAIO_API void ioaio_set_max_idle (unsigned n);
IOAIO_API void ioaio_set_idle_timeout (unsigned seconds);
/* At most n results per ioaio_poll (0: all). A time limit belongs to the host
 * loop, which runs the callbacks; ours is in JS (aio.maxPollTime). */
IOAIO_API void ioaio_set_max_poll_reqs (unsigned n);
IOAIO_API unsigned ioaio_nreqs (void);
IOAIO_API unsigned ioaio_nready (void);
IOAIO_API unsigned ioaio_npending (void);
IOAIO_API unsigned ioaio_nthreads (void);
/* limits.c: RLIMIT_NOFILE's soft limit (INT_MAX for unlimited) or -errno;
 * raise it to at least n (0 or -errno, IO::AIO's min_fdlimit); posix_fadvise
 * (0 or -errno). Synchronous: no request, no context. */
IOAIO_API int ioaio_get_fdlimit (void);
IOAIO_API int ioaio_min_fdlimit (int n);
IOAIO_API int ioaio_fadvise (int fd, int64_t offset, int64_t len, int advice);

/* IO::AIO's synchronous descriptor helpers (syncfd.c): each one syscall on
 * the calling thread, returning its result or -errno. ioaio_pipe2 writes
 * the two fds to fds[0..1]; ioaio_pipesize sets the size when size > 0,
 * then returns it; ioaio_splice's offsets < 0 mean NULL; the timerfd calls
 * put (interval, value) in seconds into old/cur[0..1]; pidfd_send_signal
 * sends without a siginfo. */
IOAIO_API int ioaio_pipe2 (int flags, int32_t *fds);
IOAIO_API int ioaio_pipesize (int fd, int size);
IOAIO_API int64_t ioaio_splice (int fd_in, int64_t off_in, int fd_out, int64_t off_out, int64_t len, unsigned flags);
IOAIO_API int64_t ioaio_tee (int fd_in, int fd_out, int64_t len, unsigned flags);
IOAIO_API int ioaio_memfd_create (const char *name, unsigned flags);
IOAIO_API int ioaio_eventfd (unsigned initval, int flags);
IOAIO_API int ioaio_timerfd_create (int clockid, int flags);
IOAIO_API int ioaio_timerfd_settime (int fd, int flags, double interval, double value, double *old);
IOAIO_API int ioaio_timerfd_gettime (int fd, double *cur);
IOAIO_API int ioaio_pidfd_open (int pid, unsigned flags);
IOAIO_API int ioaio_pidfd_send_signal (int pidfd, int sig, unsigned flags);
IOAIO_API int ioaio_pidfd_getfd (int pidfd, int targetfd, unsigned flags);
IOAIO_API int ioaio_mount (const char *special, const char *path, const char *fstype, double flags, const char *data);
IOAIO_API int ioaio_umount (const char *path, int flags);
/* In flight for this context only (submitted, not yet returned by ioaio_poll). */
IOAIO_API unsigned ioaio_ctx_nreqs (ioaio_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
