/*
 * latencyfs-async: the latencyfs model (a passthrough FUSE filesystem,
 * read-only but for unlink and rmdir, that answers every operation delay_us
 * late, like an NFS server) for a fraction of the server CPU. Benchmark
 * fixture for issue 3; the removals are for issue 13 (bench/rmtree.mjs).
 *
 *   latencyfs-async SOURCE MOUNTPOINT -f -o delay_us=1000,max_threads=64 [fuse options]
 *
 * Why it exists: latencyfs (high-level API, one libfuse thread asleep per
 * operation in flight) burns 40-90 µs of CPU per operation on the 2-core
 * benchmark VM - a thread wake-up, a nanosleep timer and a context switch
 * per operation plus high-level libfuse's path bookkeeping - on the same two
 * cores as the client being measured, so every FUSE figure was bounded by the
 * fixture's CPU rather than by the latency it models. A real NFS server's CPU
 * is on another machine.
 *
 * How it keeps the model:
 * - delay per operation: a request does its local work at once (the source is
 *   a local tree, so that is fast) and its finished reply waits in a queue
 *   until arrival + delay_us (CLOCK_MONOTONIC). One timer thread sleeps until
 *   the oldest reply is due and then sends every reply that is due. All
 *   replies wait the same delay, so the queue is FIFO and in due order, and
 *   under load one wake-up sends many replies.
 * - at most N in service: max_threads=N (default 64) caps the replies
 *   waiting at N; with N waiting, the request loop takes no new request until
 *   one is sent, as an N-thread server whose threads are all busy would.
 * - no kernel caching, as latencyfs: entry/attr timeouts 0 (every path walk
 *   revalidates each component with a LOOKUP), negative lookups not cached,
 *   files direct_io, no READDIRPLUS, offset-based plain readdir with d_type
 *   and st_ino (one delay per kernel READDIR).
 * - a latency step (issue 18): step_ops=K,step_delay_us=M makes every
 *   operation after the K-th (counted from the mount, or from the last
 *   SIGUSR2, which also restores delay_us) wait M µs instead: a server that
 *   slows down mid-run. Only a step up keeps the queue in due order, so M
 *   must be >= delay_us.
 * - SIGUSR1 prints "latencyfs-ops lookup=N getattr=N ..." on stderr (counts
 *   since the last SIGUSR1). forget/forget_multi get no reply, so they are
 *   neither delayed nor counted.
 * - removals: mounted rw (no -o ro), UNLINK and RMDIR are passed through to
 *   the source (unlinkat relative to the parent's fd), delayed and counted
 *   as every other operation. Nothing else writes: other write requests get
 *   ENOSYS from libfuse, opens for writing EROFS.
 *
 * Measured on that VM (1 ms delay): with 64 operations in flight from one
 * client, ~23 µs of server CPU per operation against ~52 for latencyfs. With
 * one in flight (find) both spend ~50: each operation then costs a wake-up
 * for the request and one for its due time whatever the design (here also
 * the loop waking the idle timer thread). Only in-flight work can share them.
 *
 * Inodes are passthrough_ll style, keyed by (st_dev, st_ino), counted by
 * lookup and freed when the kernel forgets them - except that only
 * directories hold an O_PATH fd. The kernel keeps the inode of every cached
 * dentry, zero timeouts or not, so after a full scan of a 111,110-entry tree
 * it holds them all; one fd each is far over the 20,000 RLIMIT_NOFILE of the
 * benchmark machine (raising the hard limit needs CAP_SYS_RESOURCE, which
 * its root lacks). A file, symlink or fifo is reached as (parent directory
 * fd, name) instead, which also makes its lookup one fstatat. The source
 * tree must not change under the mount, except through it (a removed
 * entry's inode stays in the table until the kernel forgets it) or by adding
 * a tree under a name the kernel holds nothing for, as bench/rmtree.mjs
 * does before each run once the last tree by that name went through the mount.
 */
#define FUSE_USE_VERSION 34
#define _GNU_SOURCE

#include <fuse_lowlevel.h>
#include "opcounts.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

static struct {
	unsigned delay_us;
	unsigned max_threads;
	unsigned long step_ops;
	unsigned step_delay_us;
	char *source;
} cfg = { .delay_us = 1000, .max_threads = 64 };

/* max_threads is ours, not fuse_parse_cmdline's: there is no thread pool. */
static const struct fuse_opt opts[] = {
	{ "delay_us=%u", offsetof(typeof(cfg), delay_us), 0 },
	{ "max_threads=%u", offsetof(typeof(cfg), max_threads), 0 },
	{ "step_ops=%lu", offsetof(typeof(cfg), step_ops), 0 },
	{ "step_delay_us=%u", offsetof(typeof(cfg), step_delay_us), 0 },
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

enum op { LOOKUP, GETATTR, ACCESS, READLINK, OPENDIR, READDIR, RELEASEDIR, OPEN, READ, RELEASE, STATFS, UNLINK, RMDIR, NOPS };
static const char *const op_name[NOPS] = {
	"lookup", "getattr", "access", "readlink", "opendir", "readdir", "releasedir", "open", "read", "release", "statfs",
	"unlink", "rmdir",
};
static unsigned long op_count[NOPS];

static struct opcounts oc = { op_name, op_count, NOPS, {{0}}, NULL };

/* The delay now (delay_us, or step_delay_us once step_ops operations came),
 * and the operations counted towards the step. */
static unsigned cur_delay_us;
static unsigned long step_count;

static void step_rearm(void)
{
	__atomic_store_n(&step_count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&cur_delay_us, cfg.delay_us, __ATOMIC_RELAXED);
}

/* ---- inodes ---- */

struct inode {
	struct inode *next;   /* hash chain */
	dev_t dev;
	ino_t ino;
	uint64_t nlookup;     /* lookups the kernel holds */
	unsigned long pins;   /* non-directories that use us as their parent */
	int fd;               /* directories: O_PATH fd; others: -1 */
	struct inode *parent; /* others: reached as parent->fd + name */
	char *name;
};

/* The root is not in the table: the kernel calls it FUSE_ROOT_ID, never forgets it. */
static struct inode root = { .fd = -1 };

/* Lookups and forgets run in the request loop, but a lookup reply that fails
 * in the timer thread drops its reference there, hence the lock. */
static struct {
	pthread_mutex_t lock;
	struct inode **bucket;
	size_t nbucket, count; /* nbucket is a power of two */
} itab = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t slot_of(dev_t dev, ino_t ino, size_t nbucket)
{
	uint64_t h = ((uint64_t)ino ^ ((uint64_t)dev << 40)) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (h >> 32)) & (nbucket - 1);
}

static struct inode *inode_of(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? &root : (struct inode *)(uintptr_t)ino;
}

/* The (dirfd, name, flags) to give an *at() call for in. */
static int at(const struct inode *in, const char **name, int *flags)
{
	if (in->fd != -1) {
		*name = "";
		*flags = AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW;
		return in->fd;
	}
	*name = in->name;
	*flags = AT_SYMLINK_NOFOLLOW;
	return in->parent->fd;
}

/* Doubles the table; with the lock held. Failing to grow only makes chains longer. */
static void itab_grow(void)
{
	size_t n = itab.nbucket * 2;
	struct inode **b = calloc(n, sizeof *b);
	if (b == NULL)
		return;
	for (size_t i = 0; i < itab.nbucket; i++)
		for (struct inode *in = itab.bucket[i], *next; in != NULL; in = next) {
			next = in->next;
			size_t j = slot_of(in->dev, in->ino, n);
			in->next = b[j];
			b[j] = in;
		}
	free(itab.bucket);
	itab.bucket = b;
	itab.nbucket = n;
}

static struct inode *itab_find(dev_t dev, ino_t ino)
{
	struct inode *in = itab.bucket[slot_of(dev, ino, itab.nbucket)];
	while (in != NULL && (in->dev != dev || in->ino != ino))
		in = in->next;
	return in;
}

/* The inode for parent/name (st: its lstat), with one more lookup; NULL with errno. */
static struct inode *inode_ref(struct inode *parent, const char *name, const struct stat *st)
{
	pthread_mutex_lock(&itab.lock);
	struct inode *in = itab_find(st->st_dev, st->st_ino);
	if (in != NULL)
		in->nlookup++;
	pthread_mutex_unlock(&itab.lock);
	if (in != NULL)
		return in;
	/* New. Only this thread adds inodes, so it cannot appear meanwhile;
	 * parent stays: the kernel holds it while it looks up in it. */
	if ((in = calloc(1, sizeof *in)) == NULL)
		return NULL;
	*in = (struct inode){ .dev = st->st_dev, .ino = st->st_ino, .nlookup = 1, .fd = -1 };
	if (S_ISDIR(st->st_mode))
		in->fd = openat(parent->fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	else if ((in->name = strdup(name)) != NULL)
		in->parent = parent;
	if (in->fd == -1 && in->name == NULL) {
		free(in);
		return NULL;
	}
	pthread_mutex_lock(&itab.lock);
	if (in->parent != NULL)
		parent->pins++;
	struct inode **head = &itab.bucket[slot_of(in->dev, in->ino, itab.nbucket)];
	in->next = *head;
	*head = in;
	if (++itab.count > itab.nbucket)
		itab_grow();
	pthread_mutex_unlock(&itab.lock);
	return in;
}

/* Drops n lookups; frees in once neither the kernel nor a child needs it,
 * which may in turn free its parent. */
static void inode_unref(struct inode *in, uint64_t n)
{
	struct inode *dead = NULL;
	pthread_mutex_lock(&itab.lock);
	in->nlookup -= n < in->nlookup ? n : in->nlookup;
	while (in != &root && in->nlookup == 0 && in->pins == 0) {
		struct inode **p = &itab.bucket[slot_of(in->dev, in->ino, itab.nbucket)];
		while (*p != in)
			p = &(*p)->next;
		*p = in->next;
		itab.count--;
		struct inode *parent = in->parent;
		in->next = dead;
		dead = in;
		if (parent == NULL)
			break;
		parent->pins--;
		in = parent;
	}
	pthread_mutex_unlock(&itab.lock);
	while (dead != NULL) {
		struct inode *next = dead->next;
		if (dead->fd != -1)
			close(dead->fd);
		free(dead->name);
		free(dead);
		dead = next;
	}
}

/* ---- delayed replies ---- */

enum kind { R_ERR, R_ENTRY, R_ATTR, R_READLINK, R_OPEN, R_OPENDIR, R_BUF, R_STATFS };

/* A finished reply waiting for its due time. */
struct slot {
	fuse_req_t req;
	struct timespec due;
	enum kind kind;
	int err;
	union {
		struct fuse_entry_param e;
		struct stat st;
		struct fuse_file_info fi;
		struct statvfs sv;
	} u;
	char *buf; /* readlink, readdir, read data; kept for the next use */
	size_t len, cap;
};

/*
 * A ring of max_threads slots. The request loop fills slot[tail] and
 * commits it (queued++, inservice++); the timer thread takes due slots from
 * head (queued--), sends them, then releases them (inservice--). Slots are
 * released in order, so slot[tail] is free whenever inservice < n, and the
 * loop checks that before it reads a request: handlers fill their slot
 * without the lock.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t room; /* inservice dropped below n */
	pthread_cond_t work; /* queued became non-zero, or stop */
	struct slot *slot;
	unsigned n, head, tail, queued, inservice;
	bool stop;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER, .room = PTHREAD_COND_INITIALIZER, .work = PTHREAD_COND_INITIALIZER };

struct dirh {
	DIR *dp;
	struct dirent *entry; /* read but not yet handed to the kernel */
	off_t offset;
};

/* Sends s's reply. If the kernel did not take a reply that hands it a
 * reference (the request was interrupted, or the filesystem is gone), no
 * forget or release will come for it, so it is undone here. */
static void send(struct slot *s)
{
	switch (s->kind) {
	case R_ERR:
		fuse_reply_err(s->req, s->err);
		break;
	case R_ENTRY:
		if (fuse_reply_entry(s->req, &s->u.e) < 0)
			inode_unref(inode_of(s->u.e.ino), 1);
		break;
	case R_ATTR:
		fuse_reply_attr(s->req, &s->u.st, 0);
		break;
	case R_READLINK:
		fuse_reply_readlink(s->req, s->buf);
		break;
	case R_OPEN:
		if (fuse_reply_open(s->req, &s->u.fi) < 0)
			close((int)s->u.fi.fh);
		break;
	case R_OPENDIR:
		if (fuse_reply_open(s->req, &s->u.fi) < 0) {
			struct dirh *d = (struct dirh *)(uintptr_t)s->u.fi.fh;
			closedir(d->dp);
			free(d);
		}
		break;
	case R_BUF:
		fuse_reply_buf(s->req, s->buf, s->len);
		break;
	case R_STATFS:
		fuse_reply_statfs(s->req, &s->u.sv);
		break;
	}
	if (s->cap > (256 << 10)) { /* don't keep a big read's buffer per slot */
		free(s->buf);
		s->buf = NULL;
		s->cap = 0;
	}
}

/* The slot for a request that just arrived; every handler takes one and
 * finishes it with exactly one reply()/reply_err(). */
static struct slot *take(fuse_req_t req, enum op op)
{
	opcount(&oc, op);
	if (cfg.step_ops && __atomic_add_fetch(&step_count, 1, __ATOMIC_RELAXED) == cfg.step_ops)
		__atomic_store_n(&cur_delay_us, cfg.step_delay_us, __ATOMIC_RELAXED);
	struct slot *s = &q.slot[q.tail];
	s->req = req;
	clock_gettime(CLOCK_MONOTONIC, &s->due); /* arrival; reply() adds the delay */
	return s;
}

static void reply(struct slot *s, enum kind kind)
{
	s->kind = kind;
	unsigned delay = __atomic_load_n(&cur_delay_us, __ATOMIC_RELAXED);
	if (delay == 0) {
		send(s);
		return;
	}
	s->due.tv_sec += delay / 1000000;
	s->due.tv_nsec += (long)(delay % 1000000) * 1000;
	if (s->due.tv_nsec >= 1000000000) {
		s->due.tv_sec++;
		s->due.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&q.lock);
	q.tail = (q.tail + 1) % q.n;
	q.inservice++;
	bool idle = q.queued++ == 0; /* otherwise the timer waits for the head already */
	pthread_mutex_unlock(&q.lock);
	/* Signalled after unlocking, so the timer does not wake into a held
	 * mutex: context switches are what this fixture's CPU goes on. */
	if (idle)
		pthread_cond_signal(&q.work);
}

static void reply_err(struct slot *s, int err)
{
	s->err = err;
	reply(s, R_ERR);
}

/* s->buf with room for size bytes, or NULL. */
static char *slot_buf(struct slot *s, size_t size)
{
	if (size > s->cap) {
		char *b = realloc(s->buf, size);
		if (b == NULL)
			return NULL;
		s->buf = b;
		s->cap = size;
	}
	return s->buf;
}

static bool due_by(const struct timespec *due, const struct timespec *now)
{
	return due->tv_sec < now->tv_sec || (due->tv_sec == now->tv_sec && due->tv_nsec <= now->tv_nsec);
}

/* Sleeps until the head is due and sends everything due by then; at stop,
 * sends what is left at once. */
static void *timer_thread(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (q.queued == 0 && !q.stop)
			pthread_cond_wait(&q.work, &q.lock);
		if (q.queued == 0) { /* stopping, and all sent */
			pthread_mutex_unlock(&q.lock);
			return NULL;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		unsigned first = q.head, k = 0;
		while (k < q.queued && (q.stop || due_by(&q.slot[(first + k) % q.n].due, &now)))
			k++;
		if (k == 0) {
			/* The head cannot change while we sleep: only we take slots. */
			struct timespec due = q.slot[first].due;
			pthread_mutex_unlock(&q.lock);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
				;
			continue;
		}
		q.head = (first + k) % q.n;
		q.queued -= k;
		pthread_mutex_unlock(&q.lock);
		for (unsigned i = 0; i < k; i++)
			send(&q.slot[(first + i) % q.n]);
		pthread_mutex_lock(&q.lock);
		q.inservice -= k;
		pthread_mutex_unlock(&q.lock);
		pthread_cond_signal(&q.room); /* a no-op unless the loop waits for a slot */
	}
}

/* ---- operations: the local work, at once ---- */

static void lfs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* READDIRPLUS would want attributes with every entry; plain READDIR
	 * carries d_type. No writeback cache on a read-only model. */
	conn->want &= ~(FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_WRITEBACK_CACHE);
	/* The kernel's default of 12 background requests would cap async work
	 * (releases, readahead) below the modelled server's 64 threads. */
	conn->max_background = 64;
	conn->congestion_threshold = 48;
}

static void lfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct slot *s = take(req, LOOKUP);
	struct fuse_entry_param *e = &s->u.e;
	memset(e, 0, sizeof *e); /* timeouts 0: nothing cached, negative lookups neither */
	struct inode *p = inode_of(parent), *in;
	if (fstatat(p->fd, name, &e->attr, AT_SYMLINK_NOFOLLOW) == -1 ||
	    (in = inode_ref(p, name, &e->attr)) == NULL) {
		reply_err(s, errno);
		return;
	}
	e->ino = (uintptr_t)in;
	reply(s, R_ENTRY);
}

static void lfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	inode_unref(inode_of(ino), nlookup);
	fuse_reply_none(req);
}

static void lfs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		inode_unref(inode_of(forgets[i].ino), forgets[i].nlookup);
	fuse_reply_none(req);
}

static void lfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	struct slot *s = take(req, GETATTR);
	const char *name;
	int flags, dirfd = at(inode_of(ino), &name, &flags);
	if (fstatat(dirfd, name, &s->u.st, flags) == -1)
		reply_err(s, errno);
	else
		reply(s, R_ATTR);
}

static void lfs_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct slot *s = take(req, ACCESS);
	const char *name;
	int flags, dirfd = at(inode_of(ino), &name, &flags);
	reply_err(s, faccessat(dirfd, name, mask, flags) == -1 ? errno : 0);
}

static void lfs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct slot *s = take(req, READLINK);
	const char *name;
	int flags, dirfd = at(inode_of(ino), &name, &flags);
	char *b = slot_buf(s, PATH_MAX + 1);
	ssize_t n = b ? readlinkat(dirfd, name, b, PATH_MAX) : (errno = ENOMEM, -1);
	if (n == -1) {
		reply_err(s, errno);
		return;
	}
	b[n] = '\0';
	reply(s, R_READLINK);
}

static void lfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct slot *s = take(req, OPENDIR);
	struct inode *in = inode_of(ino);
	int fd = in->fd == -1 ? (errno = ENOTDIR, -1) : openat(in->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		reply_err(s, errno);
		return;
	}
	struct dirh *d = calloc(1, sizeof *d);
	if (d == NULL || (d->dp = fdopendir(fd)) == NULL) {
		int err = d ? errno : ENOMEM;
		free(d);
		close(fd);
		reply_err(s, err);
		return;
	}
	s->u.fi = *fi;
	s->u.fi.fh = (uintptr_t)d;
	s->u.fi.keep_cache = 0;
	s->u.fi.cache_readdir = 0;
	reply(s, R_OPENDIR);
}

static void lfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, struct fuse_file_info *fi)
{
	(void)ino;
	struct slot *s = take(req, READDIR);
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
	char *b = slot_buf(s, size);
	if (b == NULL) {
		reply_err(s, ENOMEM);
		return;
	}
	if (offset != d->offset) {
		seekdir(d->dp, offset);
		d->entry = NULL;
		d->offset = offset;
	}
	size_t len = 0;
	for (;;) {
		if (d->entry == NULL) {
			errno = 0;
			d->entry = readdir(d->dp);
			if (d->entry == NULL) {
				if (errno != 0 && len == 0) {
					reply_err(s, errno);
					return;
				}
				break; /* end of directory (or an error after some entries) */
			}
		}
		/* Only st_ino and st_mode's type bits reach the kernel: that is
		 * the d_type a scanner sees. */
		struct stat st = { .st_ino = d->entry->d_ino, .st_mode = (mode_t)DTTOIF(d->entry->d_type) };
		off_t next = telldir(d->dp);
		size_t need = fuse_add_direntry(req, b + len, size - len, d->entry->d_name, &st, next);
		if (need > size - len)
			break; /* the kernel's buffer is full: the entry waits */
		len += need;
		d->entry = NULL;
		d->offset = next;
	}
	s->len = len;
	reply(s, R_BUF);
}

static void lfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct slot *s = take(req, RELEASEDIR);
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
	closedir(d->dp);
	free(d);
	reply_err(s, 0);
}

static void lfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct slot *s = take(req, OPEN);
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		reply_err(s, EROFS);
		return;
	}
	struct inode *in = inode_of(ino);
	int fd = in->fd != -1 ? (errno = EISDIR, -1) : openat(in->parent->fd, in->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		reply_err(s, errno);
		return;
	}
	s->u.fi = *fi;
	s->u.fi.fh = (uint64_t)fd;
	s->u.fi.direct_io = 1;
	s->u.fi.keep_cache = 0;
	reply(s, R_OPEN);
}

static void lfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	struct slot *s = take(req, READ);
	char *b = slot_buf(s, size);
	ssize_t n = b ? pread((int)fi->fh, b, size, off) : (errno = ENOMEM, -1);
	if (n == -1) {
		reply_err(s, errno);
		return;
	}
	s->len = (size_t)n;
	reply(s, R_BUF);
}

static void lfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct slot *s = take(req, RELEASE);
	close((int)fi->fh);
	reply_err(s, 0);
}

static void lfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct slot *s = take(req, STATFS);
	struct inode *in = inode_of(ino);
	if (fstatvfs(in->fd != -1 ? in->fd : in->parent->fd, &s->u.sv) == -1)
		reply_err(s, errno);
	else
		reply(s, R_STATFS);
}

/* Removal, for rmtree's benchmark (mounted rw): the name goes from the
 * source at once and the reply waits its delay, as an NFS REMOVE/RMDIR.
 * The kernel forgets the inode afterwards as for any other. */
static void lfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct slot *s = take(req, UNLINK);
	reply_err(s, unlinkat(inode_of(parent)->fd, name, 0) == -1 ? errno : 0);
}

static void lfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct slot *s = take(req, RMDIR);
	reply_err(s, unlinkat(inode_of(parent)->fd, name, AT_REMOVEDIR) == -1 ? errno : 0);
}

/* Everything else gets ENOSYS from libfuse at once (the kernel refuses
 * other writes on an ro mount itself): not part of the model, not counted. */
static const struct fuse_lowlevel_ops ops = {
	.init = lfs_init,
	.lookup = lfs_lookup,
	.forget = lfs_forget,
	.forget_multi = lfs_forget_multi,
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

/* fuse_session_loop, but a request is taken only with a slot free for it. */
static int serve(struct fuse_session *se)
{
	struct fuse_buf buf = { .mem = NULL };
	int res = 0;
	while (!fuse_session_exited(se)) {
		pthread_mutex_lock(&q.lock);
		while (q.inservice >= q.n)
			pthread_cond_wait(&q.room, &q.lock);
		pthread_mutex_unlock(&q.lock);
		res = fuse_session_receive_buf(se, &buf);
		if (res == -EINTR)
			continue; /* a signal: fuse_session_exited() says whether to stop */
		if (res <= 0)
			break;    /* 0: unmounted */
		fuse_session_process_buf(se, &buf);
	}
	free(buf.mem);
	return res < 0 ? res : 0;
}

/* One O_PATH fd per directory the kernel holds, plus open files: as many as we may. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts co = { 0 };
	struct fuse_session *se = NULL;
	int ret = 1;

	if (fuse_opt_parse(&args, &cfg, opts, opt_proc) == -1 || fuse_parse_cmdline(&args, &co) != 0)
		goto out;
	if (co.show_help || co.show_version || cfg.source == NULL || co.mountpoint == NULL) {
		fprintf(stderr, "usage: %s SOURCE MOUNTPOINT [-f] [-o delay_us=N,max_threads=N,step_ops=K,step_delay_us=M,...]\n", argv[0]);
		if (co.show_help) {
			fuse_cmdline_help();
			fuse_lowlevel_help();
		}
		ret = co.show_help || co.show_version ? 0 : 1;
		goto out;
	}
	if (cfg.step_ops && cfg.step_delay_us < cfg.delay_us) {
		fprintf(stderr, "latencyfs: step_delay_us (%u) must be >= delay_us (%u): only a step up keeps replies in due order\n", cfg.step_delay_us, cfg.delay_us);
		goto out;
	}
	step_rearm();
	oc.on_usr2 = step_rearm;
	raise_fd_limit();
	struct stat st;
	root.fd = open(cfg.source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root.fd == -1 || fstat(root.fd, &st) == -1) {
		perror(cfg.source);
		goto out;
	}
	root.dev = st.st_dev;
	root.ino = st.st_ino;
	itab.nbucket = 1024;
	itab.bucket = calloc(itab.nbucket, sizeof *itab.bucket);
	q.n = cfg.max_threads ? cfg.max_threads : 1;
	q.slot = calloc(q.n, sizeof *q.slot);
	if (itab.bucket == NULL || q.slot == NULL)
		goto out;

	/* SIGUSR1 and SIGUSR2 are blocked everywhere and taken by sigwait in opcounts_thread. */
	opcounts_block(&oc);

	se = fuse_session_new(&args, &ops, sizeof ops, NULL);
	if (se == NULL)
		goto out;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_destroy;
	if (fuse_session_mount(se, co.mountpoint) != 0)
		goto out_signals;
	fuse_daemonize(co.foreground); /* before starting threads: it may fork */

	/* The helper threads block every signal, so SIGTERM/SIGINT/SIGHUP land
	 * in this thread and interrupt its read of /dev/fuse. */
	sigset_t all, mine;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &mine);
	pthread_t timer, stats;
	int e1 = pthread_create(&timer, NULL, timer_thread, NULL);
	int e2 = pthread_create(&stats, NULL, opcounts_thread, &oc);
	pthread_sigmask(SIG_SETMASK, &mine, NULL);
	if (e1 == 0 && e2 == 0) {
		fprintf(stderr, "latencyfs: %s, %u µs per operation\n", cfg.source, cfg.delay_us);
		ret = serve(se) == 0 ? 0 : 1;
	} else {
		fprintf(stderr, "latencyfs: pthread_create: %s\n", strerror(e1 ? e1 : e2));
	}
	/* Send what is still queued before the session closes its fd: after a
	 * signal the kernel still takes the replies; after an unmount the writes
	 * fail harmlessly and send() undoes the references they carried. */
	if (e1 == 0) {
		pthread_mutex_lock(&q.lock);
		q.stop = true;
		pthread_cond_signal(&q.work);
		pthread_mutex_unlock(&q.lock);
		pthread_join(timer, NULL);
	}
	if (e2 == 0) { /* sigwait is a cancellation point */
		pthread_cancel(stats);
		pthread_join(stats, NULL);
	}
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_destroy:
	fuse_session_destroy(se);
out:
	/* Open files and directories the kernel never released die with us. */
	for (size_t i = 0; i < itab.nbucket; i++)
		for (struct inode *in = itab.bucket[i], *next; in != NULL; in = next) {
			next = in->next;
			if (in->fd != -1)
				close(in->fd);
			free(in->name);
			free(in);
		}
	free(itab.bucket);
	for (unsigned i = 0; q.slot != NULL && i < q.n; i++)
		free(q.slot[i].buf);
	free(q.slot);
	if (root.fd != -1)
		close(root.fd);
	free(co.mountpoint);
	free(cfg.source);
	fuse_opt_free_args(&args);
	return ret;
}
