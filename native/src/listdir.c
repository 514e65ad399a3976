/* listdir: a directory as ready-to-print lines, built on a libeio thread.
 * Perf: for a plain tree listing the host's main thread then handles one
 * block per directory (copy it to the output, queue the subdirectories)
 * instead of decoding, filtering and formatting every entry itself. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dirlines.h"
#include "internal.h"

void
ioaio__exec_listdir (eio_req *req)
{
  /* Lines start with ptr2 when given (listing relative to a wd), else ptr1. */
  const char *path = req->ptr2 ? req->ptr2 : req->ptr1;
  int flags = req->int1;
  char term = (char)req->int2;
  size_t plen = strlen (path);
  struct growbuf lines = { 0 }, names = { 0 };
  uint32_t count[5] = { 0 }; /* dir, reg, lnk, other, unknown */
  int e;

  req->result = -1;
  /* Not on the stack: libeio's threads have small stacks (xthread.h). */
  char *dents = malloc (DENTS_SIZE);
  if (!dents)
    {
      errno = ENOMEM;
      return;
    }
  int fd = openat (ioaio__wd_fd (req->wd), req->ptr1, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      e = errno;
      free (dents);
      errno = e;
      return;
    }

  struct dents it = { fd, dents, 0, 0 };
  struct linux_dirent64 *d;
  int more;
  while ((more = dents_next (&it, &d)) > 0)
    {
      const char *name = d->d_name;
      size_t nlen = strlen (name);
      int type = d->d_type;
      int print;

      if (type == DT_UNKNOWN)
        {
          ++count[4];
          print = 0;
        }
      else if (type == DT_DIR)
        {
          ++count[0];
          print = flags & IOAIO_LIST_DIRS;
        }
      else
        {
          ++count[type == DT_REG ? 1 : type == DT_LNK ? 2 : 3];
          print = flags & IOAIO_LIST_OTHERS;
        }

      if (print && append_line (&lines, path, plen, name, nlen, type == DT_DIR && (flags & IOAIO_LIST_SLASH), term) < 0)
        goto nomem;

      if (type == DT_UNKNOWN || (type == DT_DIR && !(flags & IOAIO_LIST_NO_SUBDIRS)))
        {
          if (growbuf_reserve (&names, nlen + 2) < 0)
            goto nomem;
          names.p[names.len++] = (char)type;
          memcpy (names.p + names.len, name, nlen + 1);
          names.len += nlen + 1;
        }
    }
  if (more < 0)
    goto fail;
  /* Keep the directory open for its subdirectories, if it has any to give. */
  if ((flags & IOAIO_LIST_KEEP_FD) && count[0] && !(flags & IOAIO_LIST_NO_SUBDIRS)
      && (req->own_wd = ioaio__wd_from_fd (fd)))
    fd = -1;
  else
    close (fd);
  free (dents);
  dents = 0;

  size_t total = 32 + lines.len + names.len;
  char *out = malloc (total);
  if (!out)
    {
      errno = ENOMEM;
      goto freebufs;
    }
  uint32_t head[8] = { (uint32_t)lines.len, (uint32_t)names.len, count[0], count[1], count[2], count[3], count[4], 0 };
  memcpy (out, head, sizeof head);
  if (lines.len)
    memcpy (out + 32, lines.p, lines.len);
  if (names.len)
    memcpy (out + 32 + lines.len, names.p, names.len);
  free (lines.p);
  free (names.p);
  if (req->flags & EIO_FLAG_PTR2_FREE)
    free (req->ptr2); /* the display path, no longer needed */
  req->ptr2 = out;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)total;
  return;

nomem:
  errno = ENOMEM;
fail:
  e = errno;
  if (fd >= 0)
    close (fd);
  errno = e;
freebufs:
  free (dents);
  free (lines.p);
  free (names.p);
}
