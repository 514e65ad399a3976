/* What walk.c and rmtree.c share: a growing buffer, the getdents64 record,
 * and the "path/name[/]term" line built for every listed entry. */
#ifndef IOAIO_DIRLINES_H
#define IOAIO_DIRLINES_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* getdents64's buffer; malloc'd, never on a worker's (32 KiB) stack. */
#define DENTS_SIZE 65536

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

struct growbuf {
  char *p;
  size_t len, cap;
};

/* Room for `more` bytes; -1 when out of memory. */
static inline int
growbuf_reserve (struct growbuf *b, size_t more)
{
  if (b->len + more <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 16384;
  while (cap < b->len + more)
    cap *= 2;
  char *p = realloc (b->p, cap);
  if (!p)
    return -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

static inline int
is_dot_or_dotdot (const char *name)
{
  return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* A directory's entries, read with getdents64 into buf (DENTS_SIZE bytes). */
struct dents {
  int fd;
  char *buf;
  long n, off;
};

/* The next entry other than . and .. in *d: 1, or 0 at the end, or -1 with
 * errno (EINTR is retried). */
static inline int
dents_next (struct dents *it, struct linux_dirent64 **d)
{
  for (;;)
    {
      if (it->off >= it->n)
        {
          long n = syscall (SYS_getdents64, it->fd, it->buf, DENTS_SIZE);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            return (int)n;
          it->n = n;
          it->off = 0;
        }
      struct linux_dirent64 *e = (struct linux_dirent64 *)(it->buf + it->off);
      it->off += e->d_reclen;
      if (!is_dot_or_dotdot (e->d_name))
        {
          *d = e;
          return 1;
        }
    }
}

/* Appends path + ('/' unless path ends in one) + name + ('/' if slash) +
 * term; -1 when out of memory. */
static inline int
append_line (struct growbuf *lines, const char *path, size_t plen, const char *name, size_t nlen, int slash, char term)
{
  if (growbuf_reserve (lines, plen + nlen + 3) < 0)
    return -1;
  char *o = lines->p + lines->len;
  memcpy (o, path, plen);
  o += plen;
  if (plen > 0 && path[plen - 1] != '/')
    *o++ = '/';
  memcpy (o, name, nlen);
  o += nlen;
  if (slash)
    *o++ = '/';
  *o++ = term;
  lines->len = (size_t)(o - lines->p);
  return 0;
}

#endif
