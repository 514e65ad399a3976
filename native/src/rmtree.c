/* rmtree: whole trees removed by IOAIO_RMSTEP requests (rmtree's and
 * mvtree's removal engine).
 *
 * The workers share a stack of directories to open and list. A directory
 * is opened relative to its parent's fd (no path walk: paths
 * deeper than PATH_MAX work, and on NFS or FUSE each open is one lookup),
 * its non-directories are unlinked relative to its own fd, and its
 * subdirectories go on the stack. Each directory counts what is still open
 * below it (refs); the worker that finishes its last child closes it and
 * removes it from its parent, and so on up: a directory goes once empty.
 *
 * Perf: one step serves many directories, and a step whose stack is empty
 * while other steps are still listing waits for their pushes (a condition
 * variable) instead of returning, so the host submits a handful of steps per
 * run, not one request per directory, and no thread idles while another
 * holds the only big directory's children.
 *
 * A directory's names are all unlinked by the worker that lists it, also on
 * NFS and FUSE: the kernel holds a directory's lock across each unlink's
 * round trip, so threads unlinking in one directory only queue for it
 * (measured on the 1 ms FUSE fixture, 11,110 entries: 0.99 s this way, 2.2 s
 * with each name a work item of its own). Full paths are built only for
 * what the host asked to see (IOAIO_RM_LINES, errors, path globs).
 *
 * Something kept below a directory (an error, an --exclude match, another
 * filesystem with IOAIO_RM_XDEV) keeps the directory and its ancestors
 * silently, as GNU rm does, rather than reporting "Directory not empty" for
 * each of them. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "dirlines.h"
#include "internal.h"

/* A directory being removed. */
struct rm_dir {
  struct rm_dir *parent; /* NULL for a root */
  struct rm_dir *next;   /* on the stack */
  int fd;                /* open from its listing until its last child is done */
  int base;              /* a root's: what its name is relative to (AT_FDCWD or a wd's fd) */
  int refs;              /* atomic: 1 for its listing + children not finished */
  int kept;              /* atomic: something below it stays */
  uint8_t gone;          /* not to be removed itself: reported, vanished or left */
  uint8_t stays;         /* still there (reported or left): so its parent stays too */
  dev_t dev;             /* its root's device (IOAIO_RM_XDEV) */
  uint32_t nlen;
  char name[];           /* below the parent; a root's: its path as given */
};

struct ioaio_rm {
  pthread_mutex_t lock; /* guards top, pending, active */
  /* Records go to one buffer in the order they happen (a directory's after
   * everything below it, whichever threads did that); each step takes what
   * is there with the next sequence number, and the host handles the steps'
   * records in that order, not in the order the steps come back. */
  pthread_mutex_t rlock; /* guards recs, seq */
  struct growbuf recs;
  uint32_t seq;
  pthread_cond_t more;  /* work was pushed, or the last active worker finished */
  struct rm_dir *top;
  uint32_t pending;     /* directories on the stack */
  uint32_t active;      /* directories being listed */
  int flags;
  int stop;             /* atomic: ioaio_rm_stop was called */
  unsigned steps;       /* submitted and not yet polled, owner thread only */
  /* --exclude: { u8 'n' (name glob), 'p' (glob of the path below the root)
   * or 'l' (that path literally: what a move could not move); bytes; NUL } */
  char *globs;
  size_t globs_len;
  int path_globs;
};

/* What one step did; the records are for the host. */
struct rm_out {
  struct ioaio_rm *rm;
  size_t rec_bytes; /* records this step added */
  struct growbuf scratch;
  uint32_t count[IOAIO_RM_COUNTS];
  char *dents;
};

static void
keep (struct rm_dir *d)
{
  __atomic_store_n (&d->kept, 1, __ATOMIC_RELAXED);
}

static void
ref (struct rm_dir *d)
{
  __atomic_add_fetch (&d->refs, 1, __ATOMIC_ACQ_REL);
}

/* ---- globs, as src/walk/glob.ts compiles them: '*' and '?' stop at '/',
 * '**' crosses it (and eats a '/' after it), [...] and [!...] or [^...] are
 * byte classes with ranges. */
static int
glob_class (const unsigned char *p, const unsigned char *close, unsigned char c)
{
  int neg = *p == '!' || *p == '^';
  int in = 0;
  if (neg)
    ++p;
  while (p < close)
    {
      if (p + 2 < close && p[1] == '-')
        {
          if (c >= p[0] && c <= p[2])
            in = 1;
          p += 3;
        }
      else if (*p++ == c)
        in = 1;
    }
  return in != neg;
}

static int
glob_match_at (const unsigned char *p, const unsigned char *pe, const unsigned char *s, const unsigned char *se)
{
  while (p < pe)
    {
      unsigned char c = *p;
      if (c == '*')
        {
          int cross = p + 1 < pe && p[1] == '*';
          p += cross ? 2 : 1;
          if (cross && p < pe && *p == '/')
            ++p;
          for (const unsigned char *t = s;; ++t)
            {
              if (glob_match_at (p, pe, t, se))
                return 1;
              if (t == se || (!cross && *t == '/'))
                return 0;
            }
        }
      if (s == se)
        return 0;
      if (c == '?')
        {
          if (*s == '/')
            return 0;
        }
      else if (c == '[' && p + 2 < pe && memchr (p + 2, ']', (size_t)(pe - p - 2)))
        {
          const unsigned char *close = memchr (p + 2, ']', (size_t)(pe - p - 2));
          if (!glob_class (p + 1, close, *s))
            return 0;
          p = close;
        }
      else if (c != *s)
        return 0;
      ++p;
      ++s;
    }
  return s == se;
}

IOAIO_API int
ioaio_glob_match (const void *pat, int64_t plen, const void *s, int64_t slen)
{
  if ((!pat && plen) || (!s && slen) || plen < 0 || slen < 0)
    return -EINVAL;
  const unsigned char *p = pat, *t = s;
  return glob_match_at (p, p + plen, t, t + slen);
}

/* ---- paths, built only when something is shown: the root's path, then
 * each name below it. */

/* Appends the path of name below d (d's own path when name is NULL); with
 * rel, only the part below the root. -1 when out of memory. */
static int
put_path (struct growbuf *b, const struct rm_dir *d, const char *name, size_t nlen, int rel)
{
  size_t len = name ? nlen : 0;
  int sep = name != 0;
  for (const struct rm_dir *a = d; a && (!rel || a->parent); a = a->parent)
    {
      len += a->nlen + (size_t)sep;
      sep = 1;
    }
  if (growbuf_reserve (b, len) < 0)
    return -1;
  char *o = b->p + b->len + len;
  if (name)
    {
      o -= nlen;
      memcpy (o, name, nlen);
    }
  sep = name != 0;
  for (const struct rm_dir *a = d; a && (!rel || a->parent); a = a->parent)
    {
      if (sep)
        *--o = '/';
      o -= a->nlen;
      memcpy (o, a->name, a->nlen);
      sep = 1;
    }
  b->len += len;
  return 0;
}

/* A record: { u8 what; u8 d_type; u8 op; u8 0; u32 errno; u32 len; path }. */
static void
put_rec (struct rm_out *out, int what, int type, int op, int err, const struct rm_dir *d, const char *name, size_t nlen)
{
  struct ioaio_rm *rm = out->rm;
  struct growbuf *b = &rm->recs;
  pthread_mutex_lock (&rm->rlock);
  size_t at = b->len;
  if (growbuf_reserve (b, 12) < 0)
    goto out;
  b->len += 12;
  if (put_path (b, d, name, nlen, 0) < 0)
    {
      b->len = at;
      goto out;
    }
  uint8_t h[4] = { (uint8_t)what, (uint8_t)type, (uint8_t)op, 0 };
  uint32_t w[2] = { (uint32_t)err, (uint32_t)(b->len - at - 12) };
  memcpy (b->p + at, h, 4);
  memcpy (b->p + at + 4, w, 8);
  out->rec_bytes += b->len - at;
out:
  pthread_mutex_unlock (&rm->rlock);
}

static void
failed (struct rm_out *out, int op, int err, struct rm_dir *d, const char *name, size_t nlen, int type)
{
  ++out->count[IOAIO_RM_ERRORS];
  put_rec (out, IOAIO_RM_REC_ERROR, type, op, err, d, name, nlen);
  keep (d);
}

static int
count_slot (int type)
{
  return type == DT_DIR ? IOAIO_RM_DIRS : type == DT_REG ? IOAIO_RM_FILES : type == DT_LNK ? IOAIO_RM_SYMLINKS : IOAIO_RM_OTHERS;
}

static void
removed (struct ioaio_rm *rm, struct rm_out *out, int type, const struct rm_dir *d, const char *name, size_t nlen)
{
  ++out->count[count_slot (type)];
  if (rm->flags & IOAIO_RM_LINES)
    put_rec (out, IOAIO_RM_REC_REMOVED, type, 0, 0, d, name, nlen);
}

static int
excluded (struct ioaio_rm *rm, struct rm_out *out, const struct rm_dir *d, const char *name, size_t nlen)
{
  const unsigned char *rel = 0, *rend = 0;
  if (rm->path_globs)
    {
      out->scratch.len = 0;
      if (put_path (&out->scratch, d, name, nlen, 1) == 0)
        {
          rel = (const unsigned char *)out->scratch.p;
          rend = rel + out->scratch.len;
        }
    }
  for (const char *g = rm->globs, *end = g + rm->globs_len; g < end;)
    {
      size_t glen = strlen (g + 1);
      const unsigned char *p = (const unsigned char *)g + 1;
      if (g[0] == 'n'   ? glob_match_at (p, p + glen, (const unsigned char *)name, (const unsigned char *)name + nlen)
          : g[0] == 'l' ? rel && (size_t)(rend - rel) == glen && !memcmp (p, rel, glen)
                        : rel && glob_match_at (p, p + glen, rel, rend))
        return 1;
      g += glen + 2;
    }
  return 0;
}

/* ---- the stack ---- */

static void
push_dirs (struct ioaio_rm *rm, struct rm_dir *first, struct rm_dir *last, uint32_t n)
{
  pthread_mutex_lock (&rm->lock);
  last->next = rm->top;
  rm->top = first;
  rm->pending += n;
  pthread_cond_broadcast (&rm->more);
  pthread_mutex_unlock (&rm->lock);
}

static struct rm_dir *
dir_new (struct rm_dir *parent, const char *name, size_t nlen)
{
  struct rm_dir *d = malloc (sizeof *d + nlen + 1);
  if (!d)
    return 0;
  memset (d, 0, sizeof *d);
  d->parent = parent;
  d->fd = -1;
  d->base = AT_FDCWD;
  d->refs = 1;
  d->dev = parent ? parent->dev : 0;
  d->nlen = (uint32_t)nlen;
  memcpy (d->name, name, nlen);
  d->name[nlen] = 0;
  return d;
}

/* One of d's pieces of work is done. The last one closes d and removes it
 * (unless out is NULL: the engine is being torn down), then its parent's. */
static void
dir_release (struct ioaio_rm *rm, struct rm_out *out, struct rm_dir *d)
{
  while (d && __atomic_sub_fetch (&d->refs, 1, __ATOMIC_ACQ_REL) == 0)
    {
      struct rm_dir *parent = d->parent;
      if (d->fd >= 0)
        close (d->fd);
      int kept = __atomic_load_n (&d->kept, __ATOMIC_RELAXED);
      if (out && !kept && !d->gone)
        {
          int dirfd = parent ? parent->fd : d->base;
          if (rm->flags & IOAIO_RM_DRY_RUN || unlinkat (dirfd, d->name, AT_REMOVEDIR) == 0)
            removed (rm, out, DT_DIR, parent, d->name, d->nlen);
          else if (errno != ENOENT)
            {
              failed (out, IOAIO_RM_OP_RMDIR, errno, parent ? parent : d, parent ? d->name : 0, d->nlen, DT_DIR);
            }
        }
      /* (a subdirectory that vanished, or was removed as it was found,
       *  does not keep its parent: only one still there does) */
      if (parent && (kept || d->stays))
        keep (parent);
      free (d);
      d = parent;
    }
}

/* A name below d that may be a directory after all (d_type was wrong, or
 * it was replaced): listed as one, later. */
static int
push_dir (struct ioaio_rm *rm, struct rm_dir *d, const char *name, size_t nlen)
{
  struct rm_dir *k = dir_new (d, name, nlen);
  if (!k)
    return -1;
  ref (d);
  push_dirs (rm, k, k, 1);
  return 0;
}

static void
unlink_one (struct ioaio_rm *rm, struct rm_out *out, struct rm_dir *d, const char *name, size_t nlen, int type)
{
  if (type == DT_UNKNOWN)
    {
      struct stat st;
      if (fstatat (d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        {
          if (errno != ENOENT)
            failed (out, IOAIO_RM_OP_STAT, errno, d, name, nlen, DT_UNKNOWN);
          return;
        }
      type = IFTODT (st.st_mode);
      if (type == DT_DIR)
        {
          if (push_dir (rm, d, name, nlen) < 0)
            failed (out, IOAIO_RM_OP_OPEN, ENOMEM, d, name, nlen, DT_DIR);
          return;
        }
    }
  if (rm->flags & IOAIO_RM_DRY_RUN || unlinkat (d->fd, name, 0) == 0)
    return removed (rm, out, type, d, name, nlen);
  int err = errno;
  if (err == ENOENT)
    return; /* gone already: what rm -f wants */
  if (err == EISDIR && push_dir (rm, d, name, nlen) == 0)
    return;
  failed (out, IOAIO_RM_OP_UNLINK, err, d, name, nlen, type);
}

static void
list_dir (struct ioaio_rm *rm, struct rm_out *out, struct rm_dir *d)
{
  struct rm_dir *parent = d->parent;
  int dirfd = parent ? parent->fd : d->base;
  int fd = openat (dirfd, d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
  if (fd < 0)
    {
      int err = errno;
      d->gone = 1;
      if (err == ENOENT)
        ; /* vanished */
      else if ((err == ENOTDIR || err == ELOOP) && !(rm->flags & IOAIO_RM_DRY_RUN) && unlinkat (dirfd, d->name, 0) == 0)
        removed (rm, out, err == ELOOP ? DT_LNK : DT_REG, parent, d->name, d->nlen); /* replaced by a non-directory */
      else if ((err == EACCES || err == EPERM) && !(rm->flags & IOAIO_RM_DRY_RUN) && unlinkat (dirfd, d->name, AT_REMOVEDIR) == 0)
        removed (rm, out, DT_DIR, parent, d->name, d->nlen); /* unreadable, but empty (as rm -rf) */
      else if (parent)
        {
          d->stays = 1;
          failed (out, IOAIO_RM_OP_OPEN, err, parent, d->name, d->nlen, DT_DIR);
        }
      else
        {
          d->stays = 1;
          ++out->count[IOAIO_RM_ERRORS];
          put_rec (out, IOAIO_RM_REC_ERROR, DT_DIR, IOAIO_RM_OP_OPEN, err, d, 0, 0);
        }
      return dir_release (rm, out, d);
    }
  d->fd = fd;
  if (rm->flags & IOAIO_RM_XDEV)
    {
      struct stat st;
      if (fstat (fd, &st) < 0)
        {
          d->gone = d->stays = 1;
          failed (out, IOAIO_RM_OP_STAT, errno, d, 0, 0, DT_DIR);
          return dir_release (rm, out, d);
        }
      if (!parent)
        d->dev = st.st_dev;
      else if (st.st_dev != d->dev)
        {
          /* another filesystem: left whole, reported once */
          d->gone = d->stays = 1;
          ++out->count[IOAIO_RM_LEFT];
          put_rec (out, IOAIO_RM_REC_LEFT, DT_DIR, 0, 0, parent, d->name, d->nlen);
          return dir_release (rm, out, d);
        }
    }

  struct rm_dir *kids = 0, *last = 0;
  uint32_t nkids = 0;
  struct dents dit = { fd, out->dents, 0, 0 };
  struct linux_dirent64 *e;
  int more;
  while ((more = dents_next (&dit, &e)) > 0 && !__atomic_load_n (&rm->stop, __ATOMIC_RELAXED))
    {
      const char *name = e->d_name;
      size_t nlen = strlen (name);
      int type = e->d_type;
      if (rm->globs && excluded (rm, out, d, name, nlen))
        {
          ++out->count[IOAIO_RM_KEPT];
          keep (d);
          continue;
        }
      if (type == DT_DIR)
        {
          struct rm_dir *k = dir_new (d, name, nlen);
          if (!k)
            {
              failed (out, IOAIO_RM_OP_OPEN, ENOMEM, d, name, nlen, DT_DIR);
              continue;
            }
          ref (d);
          /* in readdir's order, as the native walk takes them: a pre-count
           * walking beside the removal then stays ahead of it */
          if (last)
            last->next = k;
          else
            kids = k;
          last = k;
          ++nkids;
        }
      else
        unlink_one (rm, out, d, name, nlen, type);
    }
  if (more < 0)
    failed (out, IOAIO_RM_OP_READ, errno, d, 0, 0, DT_DIR);
  if (__atomic_load_n (&rm->stop, __ATOMIC_RELAXED))
    keep (d);
  if (kids)
    push_dirs (rm, kids, last, nkids);
  dir_release (rm, out, d);
}

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The step: req->ptr1 is the engine, int1 the records budget in bytes, int2
 * the time budget in microseconds. Payload (ioaio.h): header, records. */
void
ioaio__exec_rmstep (eio_req *req)
{
  struct ioaio_rm *rm = req->ptr1;
  size_t budget = (size_t)req->int1;
  double deadline = now_ms () + (double)req->int2 / 1e3;
  struct rm_out out = { .rm = rm };
  uint32_t items = 0;

  req->result = -1;
  /* Not on the stack: libeio's threads have small stacks (xthread.h). */
  out.dents = malloc (DENTS_SIZE);
  if (!out.dents)
    {
      errno = ENOMEM;
      return;
    }
  pthread_mutex_lock (&rm->lock);
  while (!__atomic_load_n (&rm->stop, __ATOMIC_RELAXED))
    {
      struct rm_dir *d = rm->top;
      if (!d)
        {
          if (!rm->active)
            break; /* nothing left anywhere */
          /* Others are listing: their children come here, not back to the host. */
          struct timespec ts;
          clock_gettime (CLOCK_REALTIME, &ts);
          double left = deadline - now_ms ();
          if (left <= 0)
            break;
          long long ns = ts.tv_nsec + (long long)(left * 1e6);
          ts.tv_sec += (time_t)(ns / 1000000000);
          ts.tv_nsec = (long)(ns % 1000000000);
          pthread_cond_timedwait (&rm->more, &rm->lock, &ts);
          continue;
        }
      rm->top = d->next;
      --rm->pending;
      ++rm->active;
      pthread_mutex_unlock (&rm->lock);

      list_dir (rm, &out, d);
      ++items;

      pthread_mutex_lock (&rm->lock);
      if (--rm->active == 0 && !rm->top)
        pthread_cond_broadcast (&rm->more); /* the waiters' work is over */
      if (out.rec_bytes >= budget || now_ms () >= deadline)
        break;
    }
  uint32_t pending = rm->pending;
  pthread_mutex_unlock (&rm->lock);
  free (out.dents);
  free (out.scratch.p);

  pthread_mutex_lock (&rm->rlock);
  struct growbuf recs = rm->recs;
  uint32_t seq = rm->seq++;
  memset (&rm->recs, 0, sizeof rm->recs);
  pthread_mutex_unlock (&rm->rlock);

  size_t total = IOAIO_RM_HEAD + recs.len;
  char *p = malloc (total);
  if (!p)
    {
      /* the records are lost, but the sequence goes on: the host is not left waiting */
      free (recs.p);
      errno = ENOMEM;
      return;
    }
  uint32_t head[IOAIO_RM_HEAD / 4] = { (uint32_t)recs.len, items, pending, seq };
  for (int i = 0; i < IOAIO_RM_COUNTS; ++i)
    head[4 + i] = out.count[i];
  memcpy (p, head, sizeof head);
  if (recs.len)
    memcpy (p + IOAIO_RM_HEAD, recs.p, recs.len);
  free (recs.p);
  req->ptr2 = p;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)total;
}

/* ---- the host's side ---- */

static struct ioaio_rm *
rm_get (ioaio_ctx *ctx, int id)
{
  return ctx ? idtab_handle_get (&ctx->rms, id) : 0;
}

static void rm_destroy (void *p);

IOAIO_API int
ioaio_rm_new (ioaio_ctx *ctx, int flags, const void *globs, int64_t globs_len)
{
  if (!ctx || flags & ~(IOAIO_RM_DRY_RUN | IOAIO_RM_LINES | IOAIO_RM_XDEV) || globs_len < 0
      || (globs_len && !globs))
    return -EINVAL;
  /* each glob: a kind byte, at least one pattern byte, a NUL */
  const char *g = globs;
  for (int64_t i = 0; i < globs_len;)
    {
      const char *nul = memchr (g + i, 0, (size_t)(globs_len - i));
      if (!nul || (g[i] != 'n' && g[i] != 'p' && g[i] != 'l') || nul - (g + i) < 2)
        return -EINVAL;
      i = nul - g + 1;
    }
  struct ioaio_rm *rm = calloc (1, sizeof *rm);
  if (!rm)
    return -ENOMEM;
  if (globs_len)
    {
      rm->globs = malloc ((size_t)globs_len);
      if (!rm->globs)
        {
          free (rm);
          return -ENOMEM;
        }
      memcpy (rm->globs, globs, (size_t)globs_len);
      rm->globs_len = (size_t)globs_len;
      for (int64_t i = 0; i < globs_len; i += (int64_t)strlen (g + i) + 1)
        if (g[i] == 'p' || g[i] == 'l')
          rm->path_globs = 1;
    }
  pthread_mutex_init (&rm->lock, 0);
  pthread_mutex_init (&rm->rlock, 0);
  pthread_cond_init (&rm->more, 0);
  rm->flags = flags;
  int id = idtab_handle_put (&ctx->rms, rm);
  if (id < 0)
    rm_destroy (rm); /* nothing pushed yet: its stack is empty */
  return id;
}

IOAIO_API int
ioaio_rm_push (ioaio_ctx *ctx, int id, int wd, const char *path)
{
  struct ioaio_rm *rm = rm_get (ctx, id);
  if (!rm)
    return -EINVAL;
  if (!path)
    return -EFAULT;
  int base = AT_FDCWD;
  if (wd)
    {
      eio_wd w;
      int err = ioaio__resolve_wd (ctx, wd, &w);
      if (err < 0)
        return err;
      base = ioaio__wd_fd (w);
    }
  size_t len = strlen (path);
  if (!len)
    return -ENOENT;
  struct rm_dir *d = dir_new (0, path, len);
  if (!d)
    return -ENOMEM;
  d->base = base;
  push_dirs (rm, d, d, 1);
  return 0;
}

IOAIO_API int
ioaio_rm_pending (ioaio_ctx *ctx, int id)
{
  struct ioaio_rm *rm = rm_get (ctx, id);
  if (!rm)
    return -EINVAL;
  pthread_mutex_lock (&rm->lock);
  int n = (int)(rm->pending + rm->active);
  pthread_mutex_unlock (&rm->lock);
  return n;
}

IOAIO_API int
ioaio_rm_stop (ioaio_ctx *ctx, int id)
{
  struct ioaio_rm *rm = rm_get (ctx, id);
  if (!rm)
    return -EINVAL;
  __atomic_store_n (&rm->stop, 1, __ATOMIC_RELAXED);
  pthread_mutex_lock (&rm->lock);
  pthread_cond_broadcast (&rm->more);
  pthread_mutex_unlock (&rm->lock);
  return 0;
}

/* What is left (a stopped run's stack) is closed, never removed. */
static void
rm_destroy (void *p)
{
  struct ioaio_rm *rm = p;
  for (struct rm_dir *d = rm->top, *next; d; d = next)
    {
      next = d->next;
      dir_release (rm, 0, d);
    }
  pthread_cond_destroy (&rm->more);
  pthread_mutex_destroy (&rm->lock);
  pthread_mutex_destroy (&rm->rlock);
  free (rm->recs.p);
  free (rm->globs);
  free (rm);
}

static int
rm_busy (const void *p)
{
  return ((const struct ioaio_rm *)p)->steps != 0;
}

IOAIO_API int
ioaio_rm_free (ioaio_ctx *ctx, int id)
{
  return ctx ? idtab_handle_free (&ctx->rms, id, rm_busy, rm_destroy) : -EINVAL;
}

void
ioaio__rms_free (ioaio_ctx *ctx)
{
  idtab_destroy_all (&ctx->rms, rm_destroy);
}

int
ioaio__rm_step_submit (ioaio_ctx *ctx, eio_req *req, int id)
{
  struct ioaio_rm *rm = rm_get (ctx, id);
  if (!rm)
    return -EINVAL;
  req->ptr1 = rm;
  ++rm->steps;
  return 0;
}

void
ioaio__rm_step_done (struct ioaio_rm *rm)
{
  --rm->steps;
}
