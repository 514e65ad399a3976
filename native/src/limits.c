/* IO::AIO's synchronous helpers that Node has no equivalent for:
 * get_fdlimit / min_fdlimit (RLIMIT_NOFILE) and fadvise (posix_fadvise). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>

#include "ioaio.h"

static int
clamp_int (rlim_t v)
{
  return v == RLIM_INFINITY || v > INT_MAX ? INT_MAX : (int)v;
}

IOAIO_API int
ioaio_get_fdlimit (void)
{
  struct rlimit rl;
  if (getrlimit (RLIMIT_NOFILE, &rl) < 0)
    return -errno;
  return clamp_int (rl.rlim_cur);
}

/* As IO::AIO: the soft limit first (no privilege needed), then both limits
 * (root, or CAP_SYS_RESOURCE); when neither reaches n, the soft limit is
 * raised as far as the hard one allows and the call still fails. The kernel
 * refuses more than fs.nr_open (EPERM), whatever the caller's privilege. */
IOAIO_API int
ioaio_min_fdlimit (int n)
{
  struct rlimit rl;
  if (n < 0)
    return -EINVAL;
  if (getrlimit (RLIMIT_NOFILE, &rl) < 0)
    return -errno;
  if (rl.rlim_cur >= (rlim_t)n) /* RLIM_INFINITY too: it is the largest */
    return 0;
  if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= (rlim_t)n)
    {
      rl.rlim_cur = n;
      return setrlimit (RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
    }
  struct rlimit want = { n, n };
  if (setrlimit (RLIMIT_NOFILE, &want) == 0)
    return 0;
  int err = errno;
  rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);
  return -err;
}

IOAIO_API int
ioaio_fadvise (int fd, int64_t offset, int64_t len, int advice)
{
  return -posix_fadvise (fd, offset, len, advice);
}
