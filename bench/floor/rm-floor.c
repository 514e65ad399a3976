/*
 * rm-floor: the kernel's part of removing a tree, on every core, with no JS:
 * the floor bench/rmtree.mjs prints beside rmtree's figure.
 *
 *   rm-floor [-j THREADS] DIR      (default: one thread per online CPU)
 *
 * The same work as rmtree's engine and no more: threads share a stack of
 * directories; each is opened relative to its parent (openat), read with
 * getdents64, its non-directories unlinked relative to it, its
 * subdirectories pushed; the thread that finishes a directory's last child
 * removes it (unlinkat AT_REMOVEDIR), then its parent if that was the
 * parent's last. Prints "rm-floor: N entries, T s, J threads" on stdout and
 * exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct dir {
	struct dir *parent, *next; /* next: on the stack */
	int fd, refs;
	char name[];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct dir *top;
	int active;
} st = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0 };

static unsigned long removed, failures;

static void fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "rm-floor: %s %s: %s\n", what, name, strerror(err));
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
}

static void release(struct dir *d)
{
	while (d && __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		struct dir *p = d->parent;
		if (d->fd >= 0)
			close(d->fd);
		if (unlinkat(p ? p->fd : AT_FDCWD, d->name, AT_REMOVEDIR) == 0)
			__atomic_add_fetch(&removed, 1, __ATOMIC_RELAXED);
		else
			fail("rmdir", d->name, errno);
		free(d);
		d = p;
	}
}

static struct dir *dir_new(struct dir *parent, const char *name)
{
	size_t n = strlen(name);
	struct dir *d = malloc(sizeof *d + n + 1);
	if (!d) {
		perror("rm-floor");
		exit(2);
	}
	*d = (struct dir){ .parent = parent, .fd = -1, .refs = 1 };
	memcpy(d->name, name, n + 1);
	return d;
}

static void list(struct dir *d, char *buf)
{
	d->fd = openat(d->parent ? d->parent->fd : AT_FDCWD, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0) {
		fail("open", d->name, errno);
		return release(d);
	}
	struct dir *kids = NULL, **tail = &kids;
	unsigned long n = 0;
	for (;;) {
		long got = syscall(SYS_getdents64, d->fd, buf, 65536);
		if (got <= 0) {
			if (got < 0)
				fail("getdents64", d->name, errno);
			break;
		}
		for (long off = 0; off < got;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			off += e->d_reclen;
			const char *nm = e->d_name;
			if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			int type = e->d_type;
			struct stat sb;
			if (type == DT_UNKNOWN && fstatat(d->fd, nm, &sb, AT_SYMLINK_NOFOLLOW) == 0)
				type = IFTODT(sb.st_mode);
			if (type == DT_DIR) {
				struct dir *k = dir_new(d, nm);
				*tail = k;
				tail = &k->next;
				__atomic_add_fetch(&d->refs, 1, __ATOMIC_ACQ_REL);
			} else if (unlinkat(d->fd, nm, 0) == 0)
				n++;
			else
				fail("unlink", nm, errno);
		}
	}
	__atomic_add_fetch(&removed, n, __ATOMIC_RELAXED);
	if (kids) {
		pthread_mutex_lock(&st.lock);
		*tail = st.top;
		st.top = kids;
		pthread_cond_broadcast(&st.more);
		pthread_mutex_unlock(&st.lock);
	}
	release(d);
}

static void *worker(void *arg)
{
	(void)arg;
	char *buf = malloc(65536);
	pthread_mutex_lock(&st.lock);
	for (;;) {
		struct dir *d = st.top;
		if (!d) {
			if (st.active == 0)
				break;
			pthread_cond_wait(&st.more, &st.lock);
			continue;
		}
		st.top = d->next;
		st.active++;
		pthread_mutex_unlock(&st.lock);
		list(d, buf);
		pthread_mutex_lock(&st.lock);
		if (--st.active == 0 && !st.top)
			pthread_cond_broadcast(&st.more);
	}
	pthread_mutex_unlock(&st.lock);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), c;
	while ((c = getopt(argc, argv, "j:")) != -1) {
		if (c != 'j' || (jobs = atoi(optarg)) < 1) {
			fprintf(stderr, "usage: rm-floor [-j THREADS] DIR\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: rm-floor [-j THREADS] DIR\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	st.top = dir_new(NULL, argv[optind]);
	pthread_t *t = calloc((size_t)jobs, sizeof *t);
	for (int i = 0; i < jobs; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("rm-floor: %lu entries, %.3f s, %d threads\n", removed, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, jobs);
	return failures ? 1 : 0;
}
