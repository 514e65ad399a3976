/* statfmt: a statbatch whose results come back as GNU `stat -c` lines.
 *
 * Perf: with plain statbatch the host decodes 19 doubles per path and builds
 * each line on its main thread, which cost pstat about 2 µs a path, more
 * than the stat itself on a warm local disk. Here the worker that stat'ed
 * the path also writes its line, so the main thread only copies a batch's
 * text to stdout. The host compiles the format (its parser decides what
 * each directive means and resolves escapes); this file only runs the
 * program, and only for directives without flags, width or precision: the
 * host keeps its own formatter for the rest.
 *
 * Program (req->fmt_prog, the caller's buffer, kept alive by it): a sequence of
 *   IOAIO_FMT_LIT, u16 length (little-endian), that many bytes
 *   one byte naming a directive (enum below; GNU's letter where it has one)
 *
 * Payload: struct ioaio_statfmt_head, nerr × { u32 index; u32 errno; u32
 * len; u32 0; the path, padded to 4 bytes } for the paths that failed (index
 * among the request's paths), then the lines of the paths that worked, in
 * order. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include "internal.h"

/* ino and size exactly, from their 32-bit halves (the f64 fields round
 * above 2^53: GNU stat prints them exactly, so must we) */
#define EXACT(f, F) (((uint64_t)(f)[IOAIO_ST_##F##_HI] << 32) | (uint64_t)(f)[IOAIO_ST_##F##_LO])

/* ---- uid/gid names: getpwuid_r/getgrgid_r (every NSS source, as GNU stat),
 * cached for the process: a tree has few owners and NSS is slow ---- */

#define NAME_SLOTS 256

struct name_ent {
  int used;
  uint32_t id;
  char name[64]; /* longer names are looked up every time */
};

static struct name_ent user_tab[NAME_SLOTS], group_tab[NAME_SLOTS];
static pthread_mutex_t name_lock = PTHREAD_MUTEX_INITIALIZER;

/* The name of id into out (NUL-terminated), "UNKNOWN" when it has none. */
static void
id_name (int group, uint32_t id, char *out, size_t cap)
{
  struct name_ent *tab = group ? group_tab : user_tab;
  struct name_ent *slot = &tab[id % NAME_SLOTS];

  pthread_mutex_lock (&name_lock);
  if (slot->used && slot->id == id)
    {
      snprintf (out, cap, "%s", slot->name);
      pthread_mutex_unlock (&name_lock);
      return;
    }
  pthread_mutex_unlock (&name_lock);

  char buf[4096];
  const char *name = 0;
  if (group)
    {
      struct group g, *r = 0;
      if (getgrgid_r (id, &g, buf, sizeof buf, &r) == 0 && r)
        name = r->gr_name;
    }
  else
    {
      struct passwd p, *r = 0;
      if (getpwuid_r (id, &p, buf, sizeof buf, &r) == 0 && r)
        name = r->pw_name;
    }
  snprintf (out, cap, "%s", name ? name : "UNKNOWN");
  if (strlen (out) < sizeof slot->name)
    {
      pthread_mutex_lock (&name_lock);
      slot->used = 1;
      slot->id = id;
      memcpy (slot->name, out, strlen (out) + 1);
      pthread_mutex_unlock (&name_lock);
    }
}

/* ---- output buffer ---- */

struct obuf {
  char *p;
  size_t len, cap;
  int oom;
};

static char *
ob_room (struct obuf *o, size_t n)
{
  if (o->len + n > o->cap)
    {
      size_t cap = o->cap ? o->cap : 4096;
      while (cap < o->len + n)
        cap *= 2;
      char *p = realloc (o->p, cap);
      if (!p)
        {
          o->oom = 1;
          return 0;
        }
      o->p = p;
      o->cap = cap;
    }
  return o->p + o->len;
}

static void
ob_put (struct obuf *o, const void *s, size_t n)
{
  char *d = ob_room (o, n);
  if (d)
    {
      memcpy (d, s, n);
      o->len += n;
    }
}

static void
ob_u64 (struct obuf *o, uint64_t v)
{
  char tmp[24];
  int n = 0;
  do
    tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
  while ((v /= 10));
  ob_put (o, tmp + sizeof tmp - n, (size_t)n);
}

static void
ob_fmt (struct obuf *o, const char *fmt, uint64_t v)
{
  char tmp[32];
  int n = snprintf (tmp, sizeof tmp, fmt, (unsigned long long)v);
  ob_put (o, tmp, (size_t)n);
}

static void
ob_i64 (struct obuf *o, int64_t v)
{
  if (v < 0)
    {
      ob_put (o, "-", 1);
      ob_u64 (o, (uint64_t)0 - (uint64_t)v);
    }
  else
    ob_u64 (o, (uint64_t)v);
}

/* ---- the directives ---- */

static void
mode_string (uint32_t m, char out[10])
{
  static const char types[] = "?pc?d?b?-?l?s???";
  out[0] = types[(m >> 12) & 15];
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i)
    out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
  if (m & S_ISUID)
    out[3] = (m & S_IXUSR) ? 's' : 'S';
  if (m & S_ISGID)
    out[6] = (m & S_IXGRP) ? 's' : 'S';
  if (m & S_ISVTX)
    out[9] = (m & S_IXOTH) ? 't' : 'T';
}

static const char *
file_type (uint32_t m, uint64_t size)
{
  switch (m & S_IFMT)
    {
      case S_IFREG: return size == 0 ? "regular empty file" : "regular file";
      case S_IFDIR: return "directory";
      case S_IFLNK: return "symbolic link";
      case S_IFIFO: return "fifo";
      case S_IFSOCK: return "socket";
      case S_IFCHR: return "character special file";
      case S_IFBLK: return "block special file";
      default: return "weird file";
    }
}

/* GNU's "%Y-%m-%d %H:%M:%S.%N %z" in local time (TZ as the C library sees it). */
static void
human_time (struct obuf *o, int64_t sec, long nsec)
{
  time_t t = (time_t)sec;
  struct tm tm;
  char tmp[96];
  if (!localtime_r (&t, &tm))
    {
      ob_i64 (o, sec); /* GNU too prints the number when the date is out of range */
      return;
    }
  long off = tm.tm_gmtoff, ao = off < 0 ? -off : off;
  int n = snprintf (tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d.%09ld %c%02ld%02ld", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec, off < 0 ? '-' : '+',
                    ao / 3600, ao / 60 % 60);
  ob_put (o, tmp, (size_t)n);
}

static void
run_program (struct obuf *o, const unsigned char *prog, size_t plen, const char *path, size_t len, const double *f)
{
  uint32_t mode = (uint32_t)f[IOAIO_ST_MODE];
  dev_t dev = (dev_t)(uint64_t)f[IOAIO_ST_DEV], rdev = (dev_t)(uint64_t)f[IOAIO_ST_RDEV];
  char name[512];

  for (size_t i = 0; i < plen;)
    {
      unsigned char op = prog[i++];
      switch (op)
        {
          case IOAIO_FMT_LIT:
            {
              size_t n = prog[i] | (size_t)prog[i + 1] << 8;
              ob_put (o, prog + i + 2, n);
              i += 2 + n;
              break;
            }
          case 'n': ob_put (o, path, len); break;
          case 's': ob_i64 (o, (int64_t)EXACT (f, SIZE)); break;
          case 'b': ob_u64 (o, (uint64_t)f[IOAIO_ST_BLOCKS]); break;
          case 'B': ob_put (o, "512", 3); break;
          case 'o': ob_u64 (o, (uint64_t)f[IOAIO_ST_BLKSIZE]); break;
          case 'i': ob_u64 (o, EXACT (f, INO)); break;
          case 'h': ob_u64 (o, (uint64_t)f[IOAIO_ST_NLINK]); break;
          case 'u': ob_u64 (o, (uint64_t)f[IOAIO_ST_UID]); break;
          case 'g': ob_u64 (o, (uint64_t)f[IOAIO_ST_GID]); break;
          case 'f': ob_fmt (o, "%llx", mode); break;
          case 'a': ob_fmt (o, "%llo", mode & 07777); break;
          case 'A':
            {
              char m[10];
              mode_string (mode, m);
              ob_put (o, m, 10);
              break;
            }
          case 'F':
            {
              const char *t = file_type (mode, EXACT (f, SIZE));
              ob_put (o, t, strlen (t));
              break;
            }
          case 'd': ob_u64 (o, (uint64_t)dev); break;
          case 'D': ob_fmt (o, "%llx", (uint64_t)dev); break;
          case IOAIO_FMT_DEV_MAJOR: ob_u64 (o, major (dev)); break;
          case IOAIO_FMT_DEV_MINOR: ob_u64 (o, minor (dev)); break;
          case 'r': ob_u64 (o, (uint64_t)rdev); break;
          case 'R': ob_fmt (o, "%llx", (uint64_t)rdev); break;
          case IOAIO_FMT_RDEV_MAJOR: ob_u64 (o, major (rdev)); break;
          case IOAIO_FMT_RDEV_MINOR: ob_u64 (o, minor (rdev)); break;
          case 't': ob_fmt (o, "%llx", major (rdev)); break;
          case 'T': ob_fmt (o, "%llx", minor (rdev)); break;
          case 'U':
          case 'G':
            id_name (op == 'G', (uint32_t)f[op == 'G' ? IOAIO_ST_GID : IOAIO_ST_UID], name, sizeof name);
            ob_put (o, name, strlen (name));
            break;
          case 'X': ob_i64 (o, (int64_t)f[IOAIO_ST_ATIME]); break;
          case 'Y': ob_i64 (o, (int64_t)f[IOAIO_ST_MTIME]); break;
          case 'Z': ob_i64 (o, (int64_t)f[IOAIO_ST_CTIME]); break;
          case 'W': ob_i64 (o, f[IOAIO_ST_BTIME] < 0 ? 0 : (int64_t)f[IOAIO_ST_BTIME]); break;
          case 'x': human_time (o, (int64_t)f[IOAIO_ST_ATIME], (long)f[IOAIO_ST_ATIME_NS]); break;
          case 'y': human_time (o, (int64_t)f[IOAIO_ST_MTIME], (long)f[IOAIO_ST_MTIME_NS]); break;
          case 'z': human_time (o, (int64_t)f[IOAIO_ST_CTIME], (long)f[IOAIO_ST_CTIME_NS]); break;
          case 'w':
            if (f[IOAIO_ST_BTIME] < 0)
              ob_put (o, "-", 1);
            else
              human_time (o, (int64_t)f[IOAIO_ST_BTIME], (long)f[IOAIO_ST_BTIME_NS]);
            break;
        }
    }
}

/* Whether prog is a well-formed program (checked at submit, so the workers
 * need not). */
int
ioaio__statfmt_valid (const unsigned char *prog, size_t len)
{
  static const char ops[] = "nsbBoihugfaAFdDrRtTUGXYZWxyzw";
  for (size_t i = 0; i < len;)
    {
      unsigned char op = prog[i++];
      if (op == IOAIO_FMT_LIT)
        {
          if (len - i < 2)
            return 0;
          size_t n = prog[i] | (size_t)prog[i + 1] << 8;
          if (len - i - 2 < n)
            return 0;
          i += 2 + n;
        }
      else if (!(op && strchr (ops, op)) && op != IOAIO_FMT_DEV_MAJOR && op != IOAIO_FMT_DEV_MINOR
               && op != IOAIO_FMT_RDEV_MAJOR && op != IOAIO_FMT_RDEV_MINOR)
        return 0;
    }
  return 1;
}

/* ---- the batch ---- */

struct fmt_state {
  struct obuf err, text;
  struct ioaio_statfmt_head head;
  const unsigned char *prog;
  size_t plen;
};

static void
fmt_emit (void *arg, size_t i, const char *path, size_t len, int err, const double *f)
{
  struct fmt_state *s = arg;
  if (err)
    {
      /* The path goes back with its error: the host need not keep names. */
      uint32_t rec[4] = { (uint32_t)i, (uint32_t)err, (uint32_t)len, 0 };
      static const char pad[4];
      ob_put (&s->err, rec, sizeof rec);
      ob_put (&s->err, path, len);
      ob_put (&s->err, pad, (4 - len % 4) % 4);
      s->head.nerr++;
      return;
    }
  uint32_t mode = (uint32_t)f[IOAIO_ST_MODE];
  switch (mode & S_IFMT)
    {
      case S_IFDIR: s->head.dirs++; break;
      case S_IFREG: s->head.files++; s->head.bytes += f[IOAIO_ST_SIZE]; break;
      case S_IFLNK: s->head.symlinks++; break;
      default: s->head.others++; break;
    }
  run_program (&s->text, s->prog, s->plen, path, len, f);
}

void
ioaio__exec_statfmt (eio_req *req)
{
  struct fmt_state s = { .prog = req->fmt_prog, .plen = req->fmt_len };
  /* localtime_r reads TZ once per process; tzset re-reads it if it changed. */
  tzset ();
  ioaio__statbatch_each (req, fmt_emit, &s);

  size_t total = sizeof s.head + s.err.len + s.text.len;
  char *out = (s.err.oom || s.text.oom) ? 0 : malloc (total ? total : 1);
  if (!out)
    {
      free (s.err.p);
      free (s.text.p);
      req->result = -1;
      errno = ENOMEM;
      return;
    }
  memcpy (out, &s.head, sizeof s.head);
  if (s.err.len)
    memcpy (out + sizeof s.head, s.err.p, s.err.len);
  if (s.text.len)
    memcpy (out + sizeof s.head + s.err.len, s.text.p, s.text.len);
  free (s.err.p);
  free (s.text.p);
  req->ptr2 = out;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)total;
}
