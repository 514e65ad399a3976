/* A small test harness for the public C API in ioaio.h (and nothing else).
 *
 * libuv style: a test binary holds several tests; `bin --list` prints their
 * names and `bin NAME` runs one, so run.sh gives every test its own process
 * (and its own libeio pool) with a timeout. A failed CHECK prints where and
 * exits 1; a test that returns has passed.
 *
 * client.h (included at the end) parses records exactly as ioaio.h
 * documents them: an 8-byte header { u32 used; u32 flags }, then records
 * { u32 slot; u32 len; f64 result; i32 errno; u8 kind; u8 rflags; u16 0;
 * payload }, each 8-byte aligned. */
#ifndef IOAIO_TEST_HARNESS_H
#define IOAIO_TEST_HARNESS_H

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ioaio.h"

#define CHECK(cond)                                                                     \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf (stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);         \
      exit (1);                                                                         \
    }                                                                                   \
  } while (0)

#define CHECK_EQ(a, b)                                                                  \
  do {                                                                                  \
    long long a_ = (long long)(a), b_ = (long long)(b);                                 \
    if (a_ != b_) {                                                                     \
      fprintf (stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__,   \
               __LINE__, #a, #b, a_, b_);                                               \
      exit (1);                                                                         \
    }                                                                                   \
  } while (0)

struct test {
  const char *name;
  void (*fn) (void);
};

static inline int
harness_main (int argc, char **argv, const struct test *tests)
{
  if (argc == 2 && !strcmp (argv[1], "--list"))
    {
      for (const struct test *t = tests; t->name; ++t)
        printf ("%s\n", t->name);
      return 0;
    }
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s --list | TEST\n", argv[0]);
      return 2;
    }
  for (const struct test *t = tests; t->name; ++t)
    if (!strcmp (t->name, argv[1]))
      {
        t->fn ();
        return 0;
      }
  fprintf (stderr, "no test named %s\n", argv[1]);
  return 2;
}

static inline double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void
sleep_ms (int ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* A fresh temporary directory under $TMPDIR (or /tmp); caller removes it. */
static inline char *
make_tmpdir (void)
{
  const char *base = getenv ("TMPDIR");
  char *p;
  CHECK (asprintf (&p, "%s/ioaio-ctest-XXXXXX", base && *base ? base : "/tmp") > 0);
  CHECK (mkdtemp (p));
  return p;
}

static inline void
remove_tree (const char *dir)
{
  char *cmd;
  CHECK (asprintf (&cmd, "rm -rf '%s'", dir) > 0);
  CHECK (system (cmd) == 0);
  free (cmd);
}

static inline void
write_file (const char *path, const void *data, size_t len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CHECK (fd >= 0);
  CHECK_EQ (write (fd, data, len), (long long)len);
  CHECK (close (fd) == 0);
}

#include "client.h"

#endif
