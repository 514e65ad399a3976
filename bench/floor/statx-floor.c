/*
 * statx-floor: the kernel's part of stat'ing a path list, and nothing else.
 * Benchmark aid for bench/pstat.mjs (--local): how fast could any tool on
 * this machine stat these paths, with the work split over N threads and no
 * output, no formatting and no start-up?
 *
 *   statx-floor LIST THREADS
 *
 * Reads LIST (one path per line) first, untimed; then THREADS threads take
 * contiguous shares of it (so a directory's paths stay together) and statx
 * each path as pstat does on a local disk: relative to an O_PATH handle on
 * its directory when the next path is in the same one, AT_SYMLINK_NOFOLLOW,
 * STATX_BASIC_STATS | STATX_BTIME. Prints "stat-seconds S errors E": the wall
 * time from the threads' start to the last one's end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct share {
	char **path;
	size_t n;
	size_t errors;
};

static void *run(void *arg)
{
	struct share *s = arg;
	struct statx sx;
	int dfd = -1;
	const char *cur = NULL;
	size_t curlen = 0;
	for (size_t i = 0; i < s->n; i++) {
		const char *p = s->path[i];
		const char *slash = strrchr(p, '/');
		size_t dl = slash ? (size_t)(slash - p) : 0;
		if (dl && !(cur && dl == curlen && !memcmp(p, cur, dl))) {
			if (dfd >= 0)
				close(dfd);
			dfd = -1;
			cur = NULL;
			if (i + 1 < s->n && !strncmp(s->path[i + 1], p, dl + 1)) {
				char *dir = strndup(p, dl);
				dfd = dir ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
				free(dir);
				cur = p;
				curlen = dl;
			}
		}
		int at = dfd >= 0 && cur ? dfd : AT_FDCWD;
		const char *name = at == AT_FDCWD ? p : slash + 1;
		if (statx(at, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0)
			s->errors++;
	}
	if (dfd >= 0)
		close(dfd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: %s LIST THREADS\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "statx-floor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	size_t n = 0, cap = 1024;
	char **path = malloc(cap * sizeof *path);
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while (path && (len = getline(&line, &lcap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (n == cap)
			path = realloc(path, (cap *= 2) * sizeof *path);
		if (path && !(path[n++] = strdup(line)))
			path = NULL;
	}
	fclose(f);
	free(line);
	if (!path) {
		fprintf(stderr, "statx-floor: out of memory\n");
		return 1;
	}

	int nt = atoi(argv[2]);
	struct share *s = calloc((size_t)nt, sizeof *s);
	pthread_t *t = calloc((size_t)nt, sizeof *t);
	if (!s || !t)
		return 1;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int k = 0; k < nt; k++) {
		size_t lo = n * (size_t)k / (size_t)nt, hi = n * (size_t)(k + 1) / (size_t)nt;
		s[k] = (struct share){ path + lo, hi - lo, 0 };
		if (pthread_create(&t[k], NULL, run, &s[k]) != 0)
			return 1;
	}
	size_t errors = 0;
	for (int k = 0; k < nt; k++) {
		pthread_join(t[k], NULL);
		errors += s[k].errors;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("stat-seconds %.4f errors %zu\n", (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, errors);
	return 0;
}
