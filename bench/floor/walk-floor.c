/*
 * walk-floor: the kernel's part of listing a tree to a pipe, and little else.
 * Benchmark aid for bench/real-trees.mjs: how fast could any tool on this
 * machine list this tree, with the work on N threads and no start-up?
 *
 *   walk-floor DIR THREADS
 *
 * THREADS threads share one stack of directories: each pops one, opens it
 * by its whole path (simpler than a parent's handle, which ours keeps),
 * reads it with getdents64 (64 KiB), pushes its subdirectories, and appends
 * "path/name\n" for every entry to its own 64 KiB buffer, written to stdout
 * whole (under a lock) when full. No sorting, no stat. Prints "walk-seconds
 * S entries E" on stderr: the wall time from the threads' start to the
 * last one's end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* struct linux_dirent64, as the native walk reads it */
#include "../../native/src/dirlines.h"

struct item {
	struct item *next;
	char path[];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER, out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct item *top;
static int busy;
static unsigned long entries;

static void push(const char *dir, size_t dlen, const char *name, size_t nlen)
{
	struct item *it = malloc(sizeof *it + dlen + nlen + 2);
	if (!it)
		abort();
	memcpy(it->path, dir, dlen);
	it->path[dlen] = '/';
	memcpy(it->path + dlen + 1, name, nlen + 1);
	it->next = top;
	top = it;
}

struct out {
	char buf[65536];
	size_t len;
};

static void flush(struct out *o)
{
	pthread_mutex_lock(&out_lock);
	for (size_t off = 0; off < o->len;) {
		ssize_t n = write(1, o->buf + off, o->len - off);
		if (n <= 0)
			exit(1);
		off += (size_t)n;
	}
	pthread_mutex_unlock(&out_lock);
	o->len = 0;
}

static void *worker(void *arg)
{
	(void)arg;
	char *dents = malloc(65536);
	struct out *o = malloc(sizeof *o);
	unsigned long mine = 0;
	o->len = 0;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (!top && busy)
			pthread_cond_wait(&more, &lock);
		struct item *it = top;
		if (!it) {
			pthread_mutex_unlock(&lock);
			break;
		}
		top = it->next;
		busy++;
		pthread_mutex_unlock(&lock);

		size_t plen = strlen(it->path);
		int fd = open(it->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		struct item *kids = 0;
		long n;
		while (fd >= 0 && (n = syscall(SYS_getdents64, fd, dents, 65536)) > 0) {
			for (long off = 0; off < n;) {
				struct linux_dirent64 *d = (struct linux_dirent64 *)(dents + off);
				off += d->d_reclen;
				const char *nm = d->d_name;
				if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
					continue;
				size_t nlen = strlen(nm);
				if (o->len + plen + nlen + 2 > sizeof o->buf)
					flush(o);
				memcpy(o->buf + o->len, it->path, plen);
				o->buf[o->len + plen] = '/';
				memcpy(o->buf + o->len + plen + 1, nm, nlen);
				o->buf[o->len + plen + 1 + nlen] = '\n';
				o->len += plen + nlen + 2;
				mine++;
				if (d->d_type == DT_DIR) {
					struct item *k = malloc(sizeof *k + plen + nlen + 2);
					memcpy(k->path, it->path, plen);
					k->path[plen] = '/';
					memcpy(k->path + plen + 1, nm, nlen + 1);
					k->next = kids;
					kids = k;
				}
			}
		}
		if (fd >= 0)
			close(fd);
		free(it);
		pthread_mutex_lock(&lock);
		while (kids) {
			struct item *k = kids;
			kids = k->next;
			k->next = top;
			top = k;
		}
		busy--;
		pthread_cond_broadcast(&more);
		pthread_mutex_unlock(&lock);
	}
	if (o->len)
		flush(o);
	pthread_mutex_lock(&lock);
	entries += mine;
	pthread_mutex_unlock(&lock);
	free(dents);
	free(o);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: walk-floor DIR THREADS\n");
		return 2;
	}
	int threads = atoi(argv[2]);
	if (threads < 1 || threads > 1024) {
		fprintf(stderr, "walk-floor: THREADS: 1 to 1024\n");
		return 2;
	}
	size_t dlen = strlen(argv[1]);
	while (dlen > 1 && argv[1][dlen - 1] == '/')
		dlen--;
	push(argv[1], dlen, "", 0);
	top->path[dlen] = 0; /* the root itself, without the slash push added */
	pthread_t t[1024];
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], 0, worker, 0);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "walk-seconds %.6f entries %lu\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, entries);
	return 0;
}
