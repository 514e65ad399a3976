/*
 * latencyfs: a passthrough FUSE filesystem, read-only but for unlink and
 * rmdir, that sleeps a fixed time in every operation, so a local tree
 * behaves like a slow network filesystem (NFS, sshfs, a cloud mount).
 * Benchmark fixture for issue 3; the removals are for issue 13.
 *
 *   latencyfs SOURCE MOUNTPOINT -f -o delay_us=1000,max_threads=64 [fuse options]
 *
 * - delay_us=N    sleep N µs in each operation (default 1000; 0 = none).
 * - max_threads=N is handled by fuse_main() itself (libfuse >= 3.12): the
 *                 multithreaded loop starts up to N server threads, so up to
 *                 N operations sleep at the same time.
 * - Kernel caching is off: attr/entry/negative timeouts are 0 (every path
 *   walk revalidates each component with a LOOKUP), files are direct_io,
 *   readdir results are not cached (cache_readdir stays 0) and READDIRPLUS is
 *   disabled, so the kernel sends one plain READDIR per buffer.
 * - readdir fills d_type (st_mode of the source's d_type) so scanners can
 *   tell directories from files without a stat, as on a local filesystem.
 * - readdir is offset-based (as libfuse's passthrough_fh example): each
 *   kernel READDIR request calls readdir() once and pays one delay, instead
 *   of libfuse buffering the whole directory on the first call.
 * - SIGUSR1 prints how many operations of each kind were served since the
 *   last SIGUSR1 as one line on stderr ("latencyfs-ops getattr=N ...") and
 *   resets the counts, so the benchmark can show what each scanner asks
 *   (with -f only: without it libfuse forks and the counting thread is lost).
 * - Mounted rw (no -o ro), unlink and rmdir are passed through to the
 *   source, delayed and counted as every other operation; nothing else
 *   writes (opens for writing get EROFS, other write operations ENOSYS).
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>
#include "opcounts.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

static struct {
	unsigned delay_us;
	char *source;
	int srcfd; /* every path is resolved relative to this (O_PATH) fd */
} cfg = { .delay_us = 1000, .srcfd = -1 };

static const struct fuse_opt opts[] = {
	{ "delay_us=%u", offsetof(typeof(cfg), delay_us), 0 },
	FUSE_OPT_END
};

/* The first non-option argument is the source; the rest go to libfuse. */
static int opt_proc(void *data, const char *arg, int key, struct fuse_args *out)
{
	(void)data; (void)out;
	if (key == FUSE_OPT_KEY_NONOPT && cfg.source == NULL) {
		cfg.source = strdup(arg);
		return 0;
	}
	return 1;
}

enum op { GETATTR, ACCESS, READLINK, OPENDIR, READDIR, RELEASEDIR, OPEN, READ, RELEASE, STATFS, UNLINK, RMDIR, NOPS };
static const char *const op_name[NOPS] = {
	"getattr", "access", "readlink", "opendir", "readdir", "releasedir", "open", "read", "release", "statfs",
	"unlink", "rmdir",
};
static unsigned long op_count[NOPS];

static struct opcounts oc = { op_name, op_count, NOPS, {{0}}, NULL };

/* Every operation counts itself and then sleeps the configured time. */
static void delay(enum op op)
{
	opcount(&oc, op);
	if (cfg.delay_us == 0)
		return;
	struct timespec ts = { cfg.delay_us / 1000000, (long)(cfg.delay_us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* "/" -> ".", "/a/b" -> "a/b": relative to srcfd. */
static const char *rel(const char *path)
{
	return path[1] ? path + 1 : ".";
}

static void *lfs_init(struct fuse_conn_info *conn, struct fuse_config *c)
{
	/* Override whatever -o said: the fixture's point is no kernel caching. */
	c->attr_timeout = 0;
	c->entry_timeout = 0;
	c->negative_timeout = 0;
	c->direct_io = 1;
	c->kernel_cache = 0;
	c->auto_cache = 0;
	c->use_ino = 1; /* the source's inode numbers, so find/fd loop checks work */
	/* Unlinking a file libfuse knows to be open would rename it to
	 * .fuse_hidden*, and there is no rename here: unlink it at once. */
	c->hard_remove = 1;
	/* READDIRPLUS wants attributes with every entry: a getattr (one delay)
	 * per entry inside one READDIR, serially, which the kernel would not
	 * even keep with zero timeouts. Plain READDIR carries d_type. */
	conn->want &= ~FUSE_CAP_READDIRPLUS;
	/* The kernel's default of 12 background requests would cap async work
	 * (releases, readahead) below the server's thread count. */
	conn->max_background = 64;
	conn->congestion_threshold = 48;
	return NULL;
}

static int lfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	delay(GETATTR);
	return fstatat(cfg.srcfd, rel(path), st, AT_SYMLINK_NOFOLLOW) == -1 ? -errno : 0;
}

static int lfs_access(const char *path, int mask)
{
	delay(ACCESS);
	return faccessat(cfg.srcfd, rel(path), mask, AT_SYMLINK_NOFOLLOW) == -1 ? -errno : 0;
}

static int lfs_readlink(const char *path, char *buf, size_t size)
{
	delay(READLINK);
	ssize_t n = readlinkat(cfg.srcfd, rel(path), buf, size - 1);
	if (n == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

struct dirh {
	DIR *dp;
	struct dirent *entry; /* read but not yet handed to the kernel */
	off_t offset;
};

static int lfs_opendir(const char *path, struct fuse_file_info *fi)
{
	delay(OPENDIR);
	int fd = openat(cfg.srcfd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	struct dirh *d = calloc(1, sizeof *d);
	if (d == NULL || (d->dp = fdopendir(fd)) == NULL) {
		int e = d ? errno : ENOMEM;
		free(d);
		close(fd);
		return -e;
	}
	fi->fh = (uintptr_t)d;
	return 0;
}

static int lfs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t offset,
		       struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)path; (void)flags;
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
	delay(READDIR);
	if (offset != d->offset) {
		seekdir(d->dp, offset);
		d->entry = NULL;
		d->offset = offset;
	}
	for (;;) {
		if (d->entry == NULL) {
			errno = 0;
			d->entry = readdir(d->dp);
			if (d->entry == NULL)
				return errno ? -errno : 0; /* end of directory */
		}
		/* Only st_ino and st_mode's type bits reach the kernel: that is
		 * the d_type a scanner sees. */
		struct stat st = { .st_ino = d->entry->d_ino, .st_mode = (mode_t)DTTOIF(d->entry->d_type) };
		off_t next = telldir(d->dp);
		if (fill(buf, d->entry->d_name, &st, next, 0))
			return 0; /* the kernel's buffer is full: the entry waits */
		d->entry = NULL;
		d->offset = next;
	}
}

static int lfs_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
	delay(RELEASEDIR);
	closedir(d->dp);
	free(d);
	return 0;
}

static int lfs_open(const char *path, struct fuse_file_info *fi)
{
	delay(OPEN);
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	int fd = openat(cfg.srcfd, rel(path), O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int lfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	delay(READ);
	ssize_t n = pread((int)fi->fh, buf, size, off);
	return n == -1 ? -errno : (int)n;
}

static int lfs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	delay(RELEASE);
	close((int)fi->fh);
	return 0;
}

static int lfs_statfs(const char *path, struct statvfs *sv)
{
	(void)path;
	delay(STATFS);
	return fstatvfs(cfg.srcfd, sv) == -1 ? -errno : 0;
}

/* Removal, for rmtree's benchmark (mounted rw). */
static int lfs_unlink(const char *path)
{
	delay(UNLINK);
	return unlinkat(cfg.srcfd, rel(path), 0) == -1 ? -errno : 0;
}

static int lfs_rmdir(const char *path)
{
	delay(RMDIR);
	return unlinkat(cfg.srcfd, rel(path), AT_REMOVEDIR) == -1 ? -errno : 0;
}

static const struct fuse_operations ops = {
	.init = lfs_init,
	.getattr = lfs_getattr,
	.access = lfs_access,
	.readlink = lfs_readlink,
	.opendir = lfs_opendir,
	.readdir = lfs_readdir,
	.releasedir = lfs_releasedir,
	.open = lfs_open,
	.read = lfs_read,
	.release = lfs_release,
	.statfs = lfs_statfs,
	.unlink = lfs_unlink,
	.rmdir = lfs_rmdir,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	if (fuse_opt_parse(&args, &cfg, opts, opt_proc) == -1)
		return 1;
	if (cfg.source == NULL) {
		fprintf(stderr, "usage: %s SOURCE MOUNTPOINT [-f] [-o delay_us=N,max_threads=N,...]\n", argv[0]);
		return 1;
	}
	cfg.srcfd = open(cfg.source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cfg.srcfd == -1) {
		perror(cfg.source);
		return 1;
	}
	/* Block SIGUSR1 before libfuse starts its threads; they inherit the mask. */
	opcounts_block(&oc);
	pthread_t tid;
	pthread_create(&tid, NULL, opcounts_thread, &oc);
	fprintf(stderr, "latencyfs: %s, %u µs per operation\n", cfg.source, cfg.delay_us);
	int r = fuse_main(args.argc, args.argv, &ops, NULL);
	fuse_opt_free_args(&args);
	return r;
}
