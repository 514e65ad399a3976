/*
 * opcounts: the operation counts both FUSE fixtures keep, reported on
 * SIGUSR1 as one line on stderr ("latencyfs-ops NAME=N ...", counts since
 * the last report) so that a benchmark can show what each tool asked of the
 * server. SIGUSR1 must be blocked in every thread (opcounts_block before
 * any thread starts); the reporter takes it with sigwait. SIGUSR2 is taken
 * the same way and calls on_usr2 when the fixture sets one (latencyfs-async:
 * re-arms its latency step).
 */
#ifndef LATENCYFS_OPCOUNTS_H
#define LATENCYFS_OPCOUNTS_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

struct opcounts {
	const char *const *names;
	unsigned long *counts;
	int n;
	sigset_t usr1; /* SIGUSR1 and SIGUSR2 */
	void (*on_usr2)(void);
};

static inline void opcount(struct opcounts *oc, int op)
{
	__atomic_fetch_add(&oc->counts[op], 1, __ATOMIC_RELAXED);
}

/* Blocks SIGUSR1 and SIGUSR2 in the calling thread; threads started later inherit it. */
static inline void opcounts_block(struct opcounts *oc)
{
	sigemptyset(&oc->usr1);
	sigaddset(&oc->usr1, SIGUSR1);
	sigaddset(&oc->usr1, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &oc->usr1, NULL);
}

/* The reporter thread's body: waits for SIGUSR1, prints and resets. */
static inline void *opcounts_thread(void *arg)
{
	struct opcounts *oc = arg;
	for (;;) {
		int sig;
		if (sigwait(&oc->usr1, &sig) != 0)
			continue;
		if (sig == SIGUSR2) {
			if (oc->on_usr2)
				oc->on_usr2();
			continue;
		}
		char line[512];
		int n = snprintf(line, sizeof line, "latencyfs-ops");
		for (int i = 0; i < oc->n; i++)
			n += snprintf(line + n, sizeof line - n, " %s=%lu", oc->names[i],
				      __atomic_exchange_n(&oc->counts[i], 0, __ATOMIC_RELAXED));
		line[n++] = '\n';
		if (write(2, line, n) != n)
			continue;
	}
	return NULL;
}

#endif
