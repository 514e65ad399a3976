/* aio_fiemap (IO::AIO): a file's extents, by FS_IOC_FIEMAP, on a libeio
 * thread. Payload (IOAIO_FIEMAP): f64 count, then per extent f64 logical,
 * physical, length, flags (bytes; doubles, as stat's fields: exact below
 * 2^53, 8 PiB). count 0 asks the kernel how many there are first;
 * count FIEMAP_COUNT_ONLY returns that number alone (f64 count, no extents). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* At most this many extents in one answer (IO::AIO's own cap is the same
 * order: a request for "all" of a badly fragmented file stays bounded). */
#define FIEMAP_MAX_EXTENTS (1u << 20)
/* count + flags travel packed in one int64 from JS, exact in a double:
 * counts stay below 2^21 */
#define FIEMAP_COUNT_ONLY ((1u << 21) - 1)

void
ioaio__exec_fiemap (eio_req *req)
{
  int fd = req->int1;
  uint64_t start = (uint64_t)req->offs;
  uint64_t length = req->size == (size_t)-1 ? FIEMAP_MAX_OFFSET : (uint64_t)req->size;
  uint32_t flags = (uint32_t)req->int2;
  uint32_t count = (uint32_t)req->int3;

  int count_only = count == FIEMAP_COUNT_ONLY; /* IO::AIO's count 0: the number of extents only */

  req->result = -1;
  if (!count || count_only)
    {
      struct fiemap probe;
      memset (&probe, 0, sizeof probe);
      probe.fm_start = start;
      probe.fm_length = length;
      probe.fm_flags = flags;
      if (ioctl (fd, FS_IOC_FIEMAP, &probe) < 0)
        return;
      count = probe.fm_mapped_extents;
      if (count_only)
        {
          double *out = malloc (sizeof (double));
          if (!out)
            {
              errno = ENOMEM;
              return;
            }
          out[0] = count;
          req->ptr2 = out;
          req->flags |= EIO_FLAG_PTR2_FREE;
          req->result = sizeof (double);
          return;
        }
      /* flags were asked once (FIEMAP_FLAG_SYNC has synced); not again */
      flags &= ~FIEMAP_FLAG_SYNC;
    }
  if (count > FIEMAP_MAX_EXTENTS)
    count = FIEMAP_MAX_EXTENTS;

  struct fiemap *fm = calloc (1, sizeof *fm + (size_t)count * sizeof (struct fiemap_extent));
  if (!fm)
    {
      errno = ENOMEM;
      return;
    }
  fm->fm_start = start;
  fm->fm_length = length;
  fm->fm_flags = flags;
  fm->fm_extent_count = count;
  if (count && ioctl (fd, FS_IOC_FIEMAP, fm) < 0)
    {
      int e = errno;
      free (fm);
      errno = e;
      return;
    }
  uint32_t n = count ? fm->fm_mapped_extents : 0;
  size_t bytes = (1 + 4 * (size_t)n) * sizeof (double);
  double *out = malloc (bytes);
  if (!out)
    {
      free (fm);
      errno = ENOMEM;
      return;
    }
  out[0] = n;
  for (uint32_t i = 0; i < n; ++i)
    {
      const struct fiemap_extent *e = &fm->fm_extents[i];
      out[1 + 4 * i] = (double)e->fe_logical;
      out[2 + 4 * i] = (double)e->fe_physical;
      out[3 + 4 * i] = (double)e->fe_length;
      out[4 + 4 * i] = (double)e->fe_flags;
    }
  free (fm);
  req->ptr2 = out;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)bytes;
}
