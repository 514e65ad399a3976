// The constants IO::AIO exports for its requests and helpers, with Linux's
// values on x86-64 (the architecture this package builds for; some MAP_*
// differ on MIPS, SPARC and Alpha). test/aio/constants.test.ts checks each
// against the installed IO::AIO. One difference: MAP_UNINITIALIZED is 0, as in IO::AIO,
// because glibc does not define it (the kernel honours it only when built
// with CONFIG_MMAP_ALLOW_UNINITIALIZED).
// Node's fs.constants has the O_* flags other than O_PATH and O_TMPFILE.

/** renameat2 (`rename2`) */
export const RENAME_EXCHANGE = 2;
export const RENAME_NOREPLACE = 1;
export const RENAME_WHITEOUT = 4;

/** fallocate (`fallocate`) */
export const FALLOC_FL_COLLAPSE_RANGE = 8;
export const FALLOC_FL_INSERT_RANGE = 0x20;
export const FALLOC_FL_KEEP_SIZE = 1;
export const FALLOC_FL_PUNCH_HOLE = 2;
export const FALLOC_FL_UNSHARE_RANGE = 0x40;
export const FALLOC_FL_ZERO_RANGE = 0x10;

/** lseek whence (`seek`) */
export const SEEK_CUR = 1;
export const SEEK_DATA = 3;
export const SEEK_END = 2;
export const SEEK_HOLE = 4;
export const SEEK_SET = 0;

/** sync_file_range (`syncFileRange`) */
export const SYNC_FILE_RANGE_WAIT_AFTER = 4;
export const SYNC_FILE_RANGE_WAIT_BEFORE = 1;
export const SYNC_FILE_RANGE_WRITE = 2;

/** statvfs f_flag (`statvfs`) */
export const ST_APPEND = 0x100;
export const ST_IMMUTABLE = 0x200;
export const ST_MANDLOCK = 0x40;
export const ST_NOATIME = 0x400;
export const ST_NODEV = 4;
export const ST_NODIRATIME = 0x800;
export const ST_NOEXEC = 8;
export const ST_NOSUID = 2;
export const ST_RDONLY = 1;
export const ST_RELATIME = 0x1000;
export const ST_SYNCHRONOUS = 0x10;
export const ST_WRITE = 0x80;

/** madvise */
export const MADV_DONTNEED = 4;
export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;

/** mmap flags */
export const MAP_32BIT = 0x40;
export const MAP_ANONYMOUS = 0x20;
export const MAP_FIXED = 0x10;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_GROWSDOWN = 0x100;
export const MAP_HUGETLB = 0x40000;
export const MAP_LOCKED = 0x2000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_PRIVATE = 2;
export const MAP_SHARED = 1;
export const MAP_SHARED_VALIDATE = 3;
export const MAP_STACK = 0x20000;
export const MAP_SYNC = 0x80000;
export const MAP_UNINITIALIZED = 0;

/** mmap/mprotect protection */
export const PROT_EXEC = 4;
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;

/** mlockall */
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;

/** mremap */
export const MREMAP_FIXED = 2;
export const MREMAP_MAYMOVE = 1;

/** msync */
export const MS_ASYNC = 1;
export const MS_INVALIDATE = 2;
export const MS_SYNC = 4;

/** splice/tee */
export const SPLICE_F_GIFT = 8;
export const SPLICE_F_MORE = 4;
export const SPLICE_F_MOVE = 1;
export const SPLICE_F_NONBLOCK = 2;

/** fiemap */
export const FIEMAP_EXTENT_DATA_ENCRYPTED = 0x80;
export const FIEMAP_EXTENT_DATA_INLINE = 0x200;
export const FIEMAP_EXTENT_DATA_TAIL = 0x400;
export const FIEMAP_EXTENT_DELALLOC = 4;
export const FIEMAP_EXTENT_ENCODED = 8;
export const FIEMAP_EXTENT_LAST = 1;
export const FIEMAP_EXTENT_MERGED = 0x1000;
export const FIEMAP_EXTENT_NOT_ALIGNED = 0x100;
export const FIEMAP_EXTENT_SHARED = 0x2000;
export const FIEMAP_EXTENT_UNKNOWN = 2;
export const FIEMAP_EXTENT_UNWRITTEN = 0x800;
export const FIEMAP_FLAGS_COMPAT = 3;
export const FIEMAP_FLAG_SYNC = 1;
export const FIEMAP_FLAG_XATTR = 2;

/** open flags Node's fs.constants lacks */
export const O_PATH = 0x200000;
export const O_TMPFILE = 0x410000;

/** fcntl and ioctl (aio.fcntl, aio.ioctl): the commands, seals and inode
 *  flags IO::AIO exports (Linux x86-64 values; the ioctl numbers encode the
 *  argument size of this ABI) */
export const FICLONE = 0x40049409;
export const FICLONERANGE = 0x4020940d;
export const FIDEDUPERANGE = 0xc0189436;
export const FIFREEZE = 0xc0045877;
export const FITHAW = 0xc0045878;
export const FITRIM = 0xc0185879;
export const FS_APPEND_FL = 32;
export const FS_BTREE_FL = 4096;
export const FS_COMPRBLK_FL = 512;
export const FS_COMPR_FL = 4;
export const FS_DIRSYNC_FL = 0x10000;
export const FS_DIRTY_FL = 256;
export const FS_ENCRYPT_FL = 2048;
export const FS_FL_USER_MODIFIABLE = 0x380ff;
export const FS_IMMUTABLE_FL = 16;
export const FS_INDEX_FL = 4096;
export const FS_IOC_FIEMAP = 0xc020660b;
export const FS_IOC_FSGETXATTR = 0x801c581f;
export const FS_IOC_FSSETXATTR = 0x401c5820;
export const FS_IOC_GETFLAGS = 0x80086601;
export const FS_IOC_GETVERSION = 0x80087601;
export const FS_IOC_GET_ENCRYPTION_POLICY = 0x400c6615;
export const FS_IOC_GET_ENCRYPTION_PWSALT = 0x40106614;
export const FS_IOC_SETFLAGS = 0x40086602;
export const FS_IOC_SETVERSION = 0x40087602;
export const FS_IOC_SET_ENCRYPTION_POLICY = 0x800c6613;
export const FS_JOURNAL_DATA_FL = 16384;
export const FS_KEY_DESCRIPTOR_SIZE = 8;
export const FS_NOATIME_FL = 128;
export const FS_NOCOMP_FL = 1024;
export const FS_NODUMP_FL = 64;
export const FS_NOTAIL_FL = 32768;
export const FS_SECRM_FL = 1;
export const FS_SYNC_FL = 8;
export const FS_TOPDIR_FL = 0x20000;
export const FS_UNRM_FL = 2;
export const FS_XFLAG_APPEND = 16;
export const FS_XFLAG_DAX = 32768;
export const FS_XFLAG_EXTSIZE = 2048;
export const FS_XFLAG_EXTSZINHERIT = 4096;
export const FS_XFLAG_FILESTREAM = 16384;
export const FS_XFLAG_HASATTR = 0x80000000;
export const FS_XFLAG_IMMUTABLE = 8;
export const FS_XFLAG_NOATIME = 64;
export const FS_XFLAG_NODEFRAG = 8192;
export const FS_XFLAG_NODUMP = 128;
export const FS_XFLAG_NOSYMLINKS = 1024;
export const FS_XFLAG_PREALLOC = 2;
export const FS_XFLAG_PROJINHERIT = 512;
export const FS_XFLAG_REALTIME = 1;
export const FS_XFLAG_RTINHERIT = 256;
export const FS_XFLAG_SYNC = 32;
export const F_ADD_SEALS = 1033;
export const F_DUPFD_CLOEXEC = 1030;
export const F_GET_SEALS = 1034;
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_SEAL_GROW = 4;
export const F_SEAL_SEAL = 1;
export const F_SEAL_SHRINK = 2;
export const F_SEAL_WRITE = 8;

/** the basic fcntl commands and lock types: not in IO::AIO (Perl has them
 *  in Fcntl), not in Node's fs.constants, needed to use aio.fcntl at all */
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_OFD_SETLKW = 38;
export const FD_CLOEXEC = 1;
export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;
