/*
 * make-tree: the benchmarks' corpus shape, made fast enough to make anew
 * before every run of a command that removes it (bench/rmtree.mjs).
 *
 *   make-tree DIR FANOUT DEPTH FILES
 *
 * DIR gets FILES empty files f0.. and FANOUT subdirectories d0.., each the
 * same again, DEPTH levels below DIR (the 100k-file corpus: 10 4 9, which is
 * 11,111 directories and 99,999 files). DIR must not exist. Prints the number
 * of entries made, DIR included.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int fanout, depth, files;
static unsigned long made;

static void make(int parent, const char *name, int level)
{
	if (mkdirat(parent, name, 0755) != 0) {
		perror(name);
		exit(1);
	}
	made++;
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(name);
		exit(1);
	}
	char nm[32];
	for (int i = 0; i < files; i++) {
		snprintf(nm, sizeof nm, "f%d", i);
		int f = openat(fd, nm, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f < 0) {
			perror(nm);
			exit(1);
		}
		close(f);
		made++;
	}
	if (level < depth)
		for (int i = 0; i < fanout; i++) {
			snprintf(nm, sizeof nm, "d%d", i);
			make(fd, nm, level + 1);
		}
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 5 || (fanout = atoi(argv[2])) < 0 || (depth = atoi(argv[3])) < 0 || (files = atoi(argv[4])) < 0) {
		fprintf(stderr, "usage: make-tree DIR FANOUT DEPTH FILES\n");
		return 2;
	}
	make(AT_FDCWD, argv[1], 0);
	printf("%lu\n", made);
	return 0;
}
