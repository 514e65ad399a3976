/* statbatch: many paths stat'ed in one request, for pstat.
 *
 * Perf: one request (and one result record) per path cost the host's main
 * thread about 13 µs a path, several times the stat itself. A batch carries
 * a few hundred paths and returns their results as one array. Consecutive
 * paths in the same directory (the usual order of a listing) are stat'ed
 * relative to one O_PATH handle on it: on NFS or FUSE each path component
 * is a round trip, so this saves all but the last component of every path
 * after the first in its directory.
 *
 * Input (req->ptr1, the caller's buffer, kept alive by it): req->int2 paths,
 * each NUL-terminated, back to back. Output (req->ptr2): per path, in order,
 * 1 + IOAIO_STAT_FIELDS f64: the errno (0 when it worked), then the fields. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define REC (1 + IOAIO_STAT_FIELDS)

/* Length of path's directory part ("/" for "/x"), 0 if it has none or the
 * path ends in '/' (then it is stat'ed whole). */
static size_t
dir_len (const char *path, size_t len)
{
  const char *slash = memrchr (path, '/', len);
  if (!slash || slash == path + len - 1)
    return 0;
  return slash == path ? 1 : (size_t)(slash - path);
}

void
ioaio__statbatch_each (eio_req *req, void (*emit) (void *arg, size_t i, const char *path, size_t len, int err, const double *f), void *arg)
{
  const char *p = req->ptr1;
  size_t n = (size_t)req->int2;
  /* int3: IOAIO_SB_FOLLOW, and GNU stat's --cached as IOAIO_SB_CACHED_* */
  int flags = (req->int3 & IOAIO_SB_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW)
              | (req->int3 & IOAIO_SB_CACHED_ALWAYS ? AT_STATX_DONT_SYNC : 0)
              | (req->int3 & IOAIO_SB_CACHED_NEVER ? AT_STATX_FORCE_SYNC : 0);
  double f[IOAIO_STAT_FIELDS];

  int nl = (req->int3 & IOAIO_SB_SEP_NL) != 0;
  const char *end = p + req->size; /* the input's length, checked at submit */
  char *copy = 0;                  /* newline records: the path NUL-terminated */
  size_t copycap = 0;

  struct ioaio_dircache *dc = req->dircache;
  struct dc_ent *held = 0; /* with dc: its entry for cur */
  int dfd = -1;         /* handle on the directory cur names */
  const char *cur = 0;  /* that directory's path (a view into the input) */
  size_t curlen = 0;
  for (size_t i = 0; i < n; ++i)
    {
      size_t len = nl ? (size_t)((const char *)memchr (p, '\n', (size_t)(end - p)) - p) : strlen (p);
      const char *next = p + len + 1;
      const char *z = p; /* p as a C string */
      if (len == 0 || (nl && memchr (p, 0, len)))
        {
          emit (arg, i, p, len, len == 0 ? IOAIO_ERR_EMPTY : IOAIO_ERR_NUL, f);
          p = next;
          continue;
        }
      if (nl)
        {
          if (len >= copycap)
            {
              char *c = realloc (copy, len + 256);
              if (!c)
                {
                  emit (arg, i, p, len, ENOMEM, f);
                  p = next;
                  continue;
                }
              copy = c;
              copycap = len + 256;
            }
          memcpy (copy, p, len);
          copy[len] = 0;
          z = copy;
        }
      size_t dl = dir_len (p, len);
      int at = AT_FDCWD;
      const char *name = z;

      if (dc)
        {
          /* Handles from the shared cache, one reference while in a row. */
          if (dl && !(cur && dl == curlen && !memcmp (p, cur, dl)))
            {
              if (held)
                ioaio__dircache_put (dc, held);
              held = ioaio__dircache_get (dc, p, dl);
              dfd = held ? ioaio__dircache_fd (held) : -1;
              cur = p;
              curlen = dl;
            }
        }
      else if (dl && !(cur && dl == curlen && !memcmp (p, cur, dl)))
        {
          /* A new directory: worth a handle only if the next path is in it too. */
          if (dfd >= 0)
            close (dfd);
          dfd = -1;
          cur = 0;
          size_t nextlen = i + 1 >= n ? 0 : nl ? (size_t)((const char *)memchr (next, '\n', (size_t)(end - next)) - next) : strlen (next);
          if (i + 1 < n && dir_len (next, nextlen) == dl && !memcmp (next, p, dl))
            {
              char *dir = strndup (p, dl);
              if (dir)
                {
                  dfd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                  free (dir);
                }
              cur = p;
              curlen = dl;
            }
        }
      if (dl && dfd >= 0 && cur && dl == curlen)
        {
          at = dfd;
          name = z + (dl == 1 ? 1 : dl + 1);
        }
      int err = ioaio__statx_fill (at, name, flags, f) == 0 ? 0 : errno;
      emit (arg, i, p, len, err, f);
      p = next;
    }
  if (held)
    ioaio__dircache_put (dc, held);
  else if (dfd >= 0 && !dc)
    close (dfd);
  free (copy);
}

static void
record_emit (void *arg, size_t i, const char *path, size_t len, int err, const double *f)
{
  (void)path; (void)len;
  double *rec = (double *)arg + i * REC;
  rec[0] = err;
  if (!err)
    memcpy (rec + 1, f, sizeof (double) * IOAIO_STAT_FIELDS);
}

void
ioaio__exec_statbatch (eio_req *req)
{
  size_t n = (size_t)req->int2;
  double *out = calloc (n * REC, sizeof (double));
  if (!out)
    {
      req->result = -1;
      errno = ENOMEM;
      return;
    }
  ioaio__statbatch_each (req, record_emit, out);
  req->ptr2 = out;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)(n * REC * sizeof (double));
}
