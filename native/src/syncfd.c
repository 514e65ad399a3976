/* IO::AIO's synchronous helpers that Node lacks: pipe2, pipesize, splice,
 * tee, memfd_create, eventfd, timerfd_*, pidfd_*, mount/umount, and
 * munlock/munlockall. Each is one syscall on the calling thread, as IO::AIO's
 * are, returning its result or -errno (never errno itself: koffi calls
 * from JS cannot read it reliably afterwards). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ioaio.h"

#define RET(x) return (x) < 0 ? -errno : (x)

IOAIO_API int
ioaio_pipe2 (int flags, int32_t *fds)
{
  int p[2];
  if (pipe2 (p, flags) < 0)
    return -errno;
  fds[0] = p[0];
  fds[1] = p[1];
  return 0;
}

IOAIO_API int
ioaio_pipesize (int fd, int size)
{
  if (size > 0 && fcntl (fd, F_SETPIPE_SZ, size) < 0)
    return -errno;
  int r = fcntl (fd, F_GETPIPE_SZ);
  RET (r);
}

/* off < 0: NULL (the descriptor's own position, as IO::AIO's undef) */
IOAIO_API int64_t
ioaio_splice (int fd_in, int64_t off_in, int fd_out, int64_t off_out, int64_t len, unsigned flags)
{
  __off64_t i = off_in, o = off_out;
  ssize_t r = splice (fd_in, off_in < 0 ? 0 : &i, fd_out, off_out < 0 ? 0 : &o, (size_t)len, flags);
  RET ((int64_t)r);
}

IOAIO_API int64_t
ioaio_tee (int fd_in, int fd_out, int64_t len, unsigned flags)
{
  ssize_t r = tee (fd_in, fd_out, (size_t)len, flags);
  RET ((int64_t)r);
}

IOAIO_API int
ioaio_memfd_create (const char *name, unsigned flags)
{
  int r = (int)syscall (SYS_memfd_create, name, flags);
  RET (r);
}

IOAIO_API int
ioaio_eventfd (unsigned initval, int flags)
{
  int r = eventfd (initval, flags);
  RET (r);
}

IOAIO_API int
ioaio_timerfd_create (int clockid, int flags)
{
  int r = timerfd_create (clockid, flags);
  RET (r);
}

static struct timespec
ts_of (double s)
{
  struct timespec t;
  t.tv_sec = (time_t)s;
  t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
  if (t.tv_nsec < 0)
    t.tv_nsec = 0;
  if (t.tv_nsec > 999999999)
    t.tv_nsec = 999999999;
  return t;
}

static double
s_of (struct timespec t)
{
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* old[0] interval, old[1] value (seconds), as IO::AIO's returned pair */
IOAIO_API int
ioaio_timerfd_settime (int fd, int flags, double interval, double value, double *old)
{
  struct itimerspec n = { ts_of (interval), ts_of (value) }, o;
  if (timerfd_settime (fd, flags, &n, &o) < 0)
    return -errno;
  old[0] = s_of (o.it_interval);
  old[1] = s_of (o.it_value);
  return 0;
}

IOAIO_API int
ioaio_timerfd_gettime (int fd, double *cur)
{
  struct itimerspec c;
  if (timerfd_gettime (fd, &c) < 0)
    return -errno;
  cur[0] = s_of (c.it_interval);
  cur[1] = s_of (c.it_value);
  return 0;
}

IOAIO_API int
ioaio_pidfd_open (int pid, unsigned flags)
{
  int r = (int)syscall (SYS_pidfd_open, pid, flags);
  RET (r);
}

/* Without a siginfo (IO::AIO's undef): the kernel fills it as kill(2) would. */
IOAIO_API int
ioaio_pidfd_send_signal (int pidfd, int sig, unsigned flags)
{
  int r = (int)syscall (SYS_pidfd_send_signal, pidfd, sig, (siginfo_t *)0, flags);
  RET (r);
}

IOAIO_API int
ioaio_pidfd_getfd (int pidfd, int targetfd, unsigned flags)
{
  int r = (int)syscall (SYS_pidfd_getfd, pidfd, targetfd, flags);
  RET (r);
}

IOAIO_API int
ioaio_mount (const char *special, const char *path, const char *fstype, double flags, const char *data)
{
  int r = mount (special, path, fstype, (unsigned long)flags, data);
  RET (r);
}

IOAIO_API int
ioaio_umount (const char *path, int flags)
{
  int r = umount2 (path, flags);
  RET (r);
}

/* page-aligned outward, as libeio's mlock request */
IOAIO_API int
ioaio_munlock (void *buf, int64_t len)
{
  uintptr_t page = (uintptr_t)sysconf (_SC_PAGESIZE);
  uintptr_t a = (uintptr_t)buf & ~(page - 1);
  uintptr_t end = ((uintptr_t)buf + (uintptr_t)len + page - 1) & ~(page - 1);
  int r = munlock ((void *)a, end - a);
  RET (r);
}

IOAIO_API int
ioaio_munlockall (void)
{
  int r = munlockall ();
  RET (r);
}

/* fexecve(3): argv and envp as NUL-separated strings (argc and envc of
 * them) in one block each; returns only on failure (-errno). */
IOAIO_API int
ioaio_fexecve (int fd, const char *argv_block, int argc, const char *envp_block, int envc)
{
  if (argc < 0 || envc < 0 || argc > 65536 || envc > 65536)
    return -EINVAL;
  char **argv = calloc ((size_t)argc + 1, sizeof *argv);
  char **envp = calloc ((size_t)envc + 1, sizeof *envp);
  if (!argv || !envp)
    {
      free (argv);
      free (envp);
      return -ENOMEM;
    }
  const char *p = argv_block;
  for (int i = 0; i < argc; ++i, p += strlen (p) + 1)
    argv[i] = (char *)p;
  p = envp_block;
  for (int i = 0; i < envc; ++i, p += strlen (p) + 1)
    envp[i] = (char *)p;
  /* Node marks fds 0-2 close-on-exec: the program would start without
   * stdio. They are passed on, as a shell's exec does; restored on failure. */
  int was[3];
  for (int i = 0; i < 3; ++i)
    {
      was[i] = fcntl (i, F_GETFD);
      if (was[i] >= 0 && (was[i] & FD_CLOEXEC))
        fcntl (i, F_SETFD, was[i] & ~FD_CLOEXEC);
    }
  fexecve (fd, argv, envp);
  int e = errno;
  for (int i = 0; i < 3; ++i)
    if (was[i] >= 0)
      fcntl (i, F_SETFD, was[i]);
  free (argv);
  free (envp);
  return -e;
}
