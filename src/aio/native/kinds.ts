// Mirrors enum ioaio_kind in native/include/ioaio.h; a test checks every
// name against ioaio_kind_name, so a drift fails loudly.
export const KIND_NAMES = [
  'nop', 'busy', 'sync',
  'open', 'close', 'seek', 'read', 'write',
  'sendfile', 'readahead',
  'stat', 'lstat', 'fstat', 'statvfs', 'fstatvfs',
  'utime', 'futime', 'chown', 'fchown', 'chmod', 'fchmod',
  'truncate', 'ftruncate', 'allocate',
  'unlink', 'mknod', 'link', 'symlink', 'readlink', 'realpath',
  'rename', 'mkdir', 'rmdir', 'readdir',
  'fsync', 'fdatasync', 'syncfs', 'sync_file_range',
  'wd_open', 'wd_close', 'load', 'copy',
  'walkstep', 'statbatch', 'copyfile', 'copyfiles',
  'rmstep', 'fcntl', 'ioctl', 'fiemap', 'mlock', 'mlockall', 'msync', 'mtouch',
] as const;

export type KindName = (typeof KIND_NAMES)[number];

export const K = Object.fromEntries(KIND_NAMES.map((n, i) => [n.toUpperCase(), i])) as {
  readonly [N in KindName as Uppercase<N>]: number;
};

/** Record layout constants, as in ioaio.h. */
export const POLL_HEADER = 8;
export const REC_HEADER = 24;
/** Byte offsets of a poll buffer's fields (IOAIO_*_AT in ioaio.h). */
export const POLL_FLAGS_AT = 4;
export const REC_SLOT_AT = 0;
export const REC_LEN_AT = 4;
export const REC_RESULT_AT = 8;
export const REC_ERRNO_AT = 16;
export const REC_KIND_AT = 20;
export const REC_RFLAGS_AT = 21;
export const INLINE_MAX = 64 * 1024;
export const R_CANCELLED = 1;
export const R_DETACHED = 2;
export const POLL_MORE_RESULTS = 1;
export const POLL_MORE_DONE = 2;
export const STAT_FIELDS = 22;
export const STATVFS_FIELDS = 11;
export const COPY_EXCL = 1;
export const ABI_VERSION = 22;
export const LIST_DIRS = 1;
export const LIST_OTHERS = 2;
export const LIST_SLASH = 4;
export const MODE_BATCH = 1;
export const MODE_TURNS = 2;
/** utimensat(2)'s special nanosecond values (Linux). */
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;
/** copyfile flags and outcomes (IOAIO_CF_* in ioaio.h). */
export const CF_REFLINK_NEVER = 0;
export const CF_REFLINK_AUTO = 1;
export const CF_REFLINK_ALWAYS = 2;
export const CF_FSYNC = 4;
export const CF_XATTRS = 8;
export const CF_UPDATE = 16;
export const CF_CHECKSUM = 32;
export const CF_DRY_RUN = 64;
export const CF_LINKS = 128;
export const CF_DIR_META = 256;
export const CF_REGULAR = 512;
export const CF_NO_CLOBBER = 1024;
export const CF_NEWER = 2048;
export const CF_COPIED = 0;
export const CF_SKIPPED = 1;
export const CF_HARDLINK = 2;
export const CF_KEPT = 3;
/** f64 values per name in a copyfiles payload */
export const CF_RECORD_FIELDS = 7;
/** A file that changes while it is copied is copied again, this many times at most. */
export const CF_CHANGE_TRIES = 3;
/** Where a copyfile failed (enum ioaio_cf_at, in order): the side and the
 *  call, or (no call failed) the request and what happened. */
export const CF_AT: readonly (readonly [side: 'src' | 'dst' | undefined, syscall: string, message?: string])[] = [
  [undefined, 'copyfile'], ['src', 'open'], ['src', 'stat'], ['src', 'read'], ['src', 'readlink'], ['src', 'getxattr'],
  ['dst', 'open'], ['dst', 'create'], ['dst', 'write'], ['dst', 'read'], ['dst', 'chown'], ['dst', 'chmod'], ['dst', 'setxattr'],
  ['dst', 'fsync'], ['dst', 'utimens'], ['dst', 'close'], ['dst', 'rename'],
  [undefined, 'copyfile', `changed while it was copied, ${CF_CHANGE_TRIES} times: not copied`],
];
/** Names of copyfile's temporaries: this prefix and 16 hex digits. */
export const CF_TEMP_PREFIX = '.ioaio-cp.';
/** rmtree's engine (IOAIO_RM_* in ioaio.h): flags, step header, records. */
export const RM_DRY_RUN = 1;
export const RM_LINES = 2;
export const RM_XDEV = 4;
export const RM_COUNTS = 7;
export const RM_HEAD = 4 * (4 + RM_COUNTS);
export const RM_REC_REMOVED = 1;
export const RM_REC_ERROR = 2;
export const RM_REC_LEFT = 3;
/** IOAIO_RM_OP_* - 1 -> the syscall a failure is reported as */
export const RM_OPS = ['opendir', 'readdir', 'unlink', 'rmdir', 'lstat'] as const;
