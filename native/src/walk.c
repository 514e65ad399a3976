/* walk: a whole tree listing advanced by IOAIO_WALKSTEP requests.
 *
 * Perf: with one request per directory (the listdir request this replaced,
 * since removed), the host's main thread
 * submitted every subdirectory, took every result and closed every kept
 * directory fd itself: on a 555k-entry tree that was most of its time, and on
 * a 2-core machine the main thread was the pipeline's bottleneck. Here the
 * workers share a stack of directories still to list: a step pops one,
 * lists it (lines built by dirlines.h), pushes its subdirectories
 * and goes on until it has produced a budget of output or run for a few
 * milliseconds. The host only copies each step's lines out and submits the
 * next steps. Subdirectories are opened relative to their parent's fd (no
 * path walk from the root: one round trip per directory on NFS or FUSE), and
 * that fd is closed by the worker that opens the last of them.
 *
 * Entries whose type readdir cannot tell (DT_UNKNOWN) and directories that
 * cannot be opened or read are handed back as records; the host stats or
 * reports them and can push such a directory with ioaio_walk_push. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dirlines.h"
#include "internal.h"

/* An open directory whose subdirectories are still on the stack. */
struct walk_dir {
  int fd;
  int refs; /* atomic: items that will open relative to fd */
};

/* A directory to list: path is what its lines start with; it is opened as
 * path + nameoff relative to parent's fd, or as path when parent is NULL. */
struct walk_item {
  struct walk_item *next;
  struct walk_dir *parent;
  uint32_t depth, pathlen, nameoff;
  char path[];
};

struct ioaio_walk {
  pthread_mutex_t lock; /* guards top and pending */
  struct walk_item *top;
  uint32_t pending;
  int flags, max_depth;
  char term;
  unsigned steps; /* submitted and not yet polled, owner thread only */
};

static void
dir_release (struct walk_dir *d)
{
  if (d && __atomic_sub_fetch (&d->refs, 1, __ATOMIC_ACQ_REL) == 0)
    {
      close (d->fd);
      free (d);
    }
}

/* A record for the host: { u32 errno (0: entry of unknown type); u32 depth;
 * u32 len; path bytes }. The path is path, or path/name when name is given. */
static int
put_record (struct growbuf *x, int err, uint32_t depth, const char *path, size_t plen, const char *name, size_t nlen)
{
  int slash = name && plen > 0 && path[plen - 1] != '/';
  size_t len = plen + (name ? (size_t)slash + nlen : 0);
  if (growbuf_reserve (x, 12 + len) < 0)
    return -1;
  uint32_t h[3] = { (uint32_t)err, depth, (uint32_t)len };
  char *o = x->p + x->len;
  memcpy (o, h, sizeof h);
  memcpy (o + 12, path, plen);
  if (slash)
    o[12 + plen] = '/';
  if (name)
    memcpy (o + 12 + plen + slash, name, nlen);
  x->len += 12 + len;
  return 0;
}

static struct walk_item *
item_new (struct walk_dir *parent, uint32_t depth, const char *dir, size_t dlen, const char *name, size_t nlen)
{
  int slash = dlen > 0 && dir[dlen - 1] != '/';
  struct walk_item *it = malloc (sizeof *it + dlen + slash + nlen + 1);
  if (!it)
    return 0;
  it->next = 0;
  it->parent = parent;
  it->depth = depth;
  memcpy (it->path, dir, dlen);
  if (slash)
    it->path[dlen] = '/';
  it->nameoff = (uint32_t)(dlen + slash);
  memcpy (it->path + it->nameoff, name, nlen);
  it->pathlen = it->nameoff + (uint32_t)nlen;
  it->path[it->pathlen] = 0;
  return it;
}

struct step_out {
  struct growbuf lines, extra;
  uint32_t count[4]; /* dir, reg, lnk, other */
  char *dents;
};

/* Lists one directory into out and pushes its subdirectories; frees it. */
static void
list_one (struct ioaio_walk *w, struct walk_item *it, struct step_out *out)
{
  const char *path = it->path;
  size_t plen = it->pathlen;
  uint32_t kid_depth = it->depth + 1;
  int descend = (int)kid_depth < w->max_depth;
  struct walk_item *kids = 0, **tail = &kids;
  uint32_t nkids = 0;
  int fd, err = 0;

  if (it->parent)
    fd = openat (it->parent->fd, path + it->nameoff, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
  else
    fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    err = errno;
  dir_release (it->parent);
  it->parent = 0;

  struct dents dit = { fd, out->dents, 0, 0 };
  struct linux_dirent64 *d;
  int more = 0;
  while (fd >= 0 && (more = dents_next (&dit, &d)) > 0)
    {
      const char *name = d->d_name;
      size_t nlen = strlen (name);
      int type = d->d_type;
      int print;

      if (type == DT_UNKNOWN)
        {
          /* The host stats it: path/name as one record. */
          if (put_record (&out->extra, 0, kid_depth, path, plen, name, nlen) < 0)
            {
              err = ENOMEM;
              goto done;
            }
          continue;
        }
      if (type == DT_DIR)
        {
          ++out->count[0];
          print = w->flags & IOAIO_LIST_DIRS;
          if (descend)
            {
              struct walk_item *k = item_new (0, kid_depth, path, plen, name, nlen);
              if (!k)
                {
                  err = ENOMEM;
                  goto done;
                }
              *tail = k;
              tail = &k->next;
              ++nkids;
            }
        }
      else
        {
          ++out->count[type == DT_REG ? 1 : type == DT_LNK ? 2 : 3];
          print = w->flags & IOAIO_LIST_OTHERS;
        }

      if (print && append_line (&out->lines, path, plen, name, nlen, type == DT_DIR && (w->flags & IOAIO_LIST_SLASH), w->term) < 0)
        {
          err = ENOMEM;
          goto done;
        }
    }
  if (more < 0)
    err = errno;

done:
  if (err && put_record (&out->extra, err, it->depth, path, plen, 0, 0) < 0)
    err = ENOMEM; /* nothing more we can do: the count still says an error */
  if (nkids && fd >= 0 && !err)
    {
      struct walk_dir *d = malloc (sizeof *d);
      if (d)
        {
          d->fd = fd;
          d->refs = (int)nkids;
          for (struct walk_item *k = kids; k; k = k->next)
            k->parent = d;
          pthread_mutex_lock (&w->lock);
          *tail = w->top;
          w->top = kids;
          w->pending += nkids;
          pthread_mutex_unlock (&w->lock);
          kids = 0;
          fd = -1;
        }
      else if (put_record (&out->extra, ENOMEM, it->depth, path, plen, 0, 0) < 0)
        err = ENOMEM;
    }
  /* Not handed on (error, no memory): the subdirectories are dropped with
   * the error reported on their parent. */
  while (kids)
    {
      struct walk_item *k = kids;
      kids = k->next;
      free (k);
    }
  if (fd >= 0)
    close (fd);
  free (it);
}

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The step: req->ptr1 is the walk, int1 the output budget in bytes, int2
 * the time budget in microseconds. Payload (ioaio.h): 32-byte header, lines,
 * records. */
void
ioaio__exec_walkstep (eio_req *req)
{
  struct ioaio_walk *w = req->ptr1;
  size_t budget = (size_t)req->int1;
  double deadline = now_ms () + (double)req->int2 / 1e3;
  struct step_out out = { 0 };
  uint32_t listed = 0;

  req->result = -1;
  /* Not on the stack: libeio's threads have small stacks (xthread.h). */
  out.dents = malloc (DENTS_SIZE);
  if (!out.dents || growbuf_reserve (&out.lines, 32) < 0)
    {
      free (out.dents);
      free (out.lines.p);
      errno = ENOMEM;
      return;
    }
  out.lines.len = 32; /* the header's room */
  for (;;)
    {
      pthread_mutex_lock (&w->lock);
      struct walk_item *it = w->top;
      if (it)
        {
          w->top = it->next;
          --w->pending;
        }
      pthread_mutex_unlock (&w->lock);
      if (!it)
        break;
      list_one (w, it, &out);
      ++listed;
      if (out.lines.len - 32 >= budget || now_ms () >= deadline)
        break;
    }
  free (out.dents);

  pthread_mutex_lock (&w->lock);
  uint32_t pending = w->pending;
  pthread_mutex_unlock (&w->lock);

  /* Perf: the lines were written after 32 bytes left for the header, and
   * the records follow them in the same block: the payload is that block,
   * not a copy of it. */
  size_t lines = out.lines.len - 32;
  if (growbuf_reserve (&out.lines, out.extra.len) < 0)
    {
      free (out.lines.p);
      free (out.extra.p);
      errno = ENOMEM;
      return;
    }
  if (out.extra.len)
    memcpy (out.lines.p + out.lines.len, out.extra.p, out.extra.len);
  free (out.extra.p);
  size_t total = out.lines.len + out.extra.len;
  uint32_t head[8] = { (uint32_t)lines, (uint32_t)out.extra.len, out.count[0], out.count[1],
                       out.count[2], out.count[3], listed, pending };
  char *p = out.lines.p;
  memcpy (p, head, sizeof head);
  req->ptr2 = p;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)total;
}

void
ioaio__walk_step_done (struct ioaio_walk *w)
{
  --w->steps;
}

IOAIO_API int
ioaio_walk_new (ioaio_ctx *ctx, int flags, int term, int max_depth)
{
  if (!ctx || flags & ~(IOAIO_LIST_DIRS | IOAIO_LIST_OTHERS | IOAIO_LIST_SLASH) || term < 0 || term > 255
      || max_depth < 0)
    return -EINVAL;
  struct ioaio_walk *w = calloc (1, sizeof *w);
  if (!w)
    return -ENOMEM;
  pthread_mutex_init (&w->lock, 0);
  w->flags = flags;
  w->term = (char)term;
  w->max_depth = max_depth;
  int id = idtab_handle_put (&ctx->walks, w);
  if (id < 0)
    {
      pthread_mutex_destroy (&w->lock);
      free (w);
    }
  return id;
}

struct ioaio_walk *
ioaio__walk_get (ioaio_ctx *ctx, int id)
{
  return idtab_handle_get (&ctx->walks, id);
}

IOAIO_API int
ioaio_walk_push (ioaio_ctx *ctx, int id, const char *path, int depth)
{
  struct ioaio_walk *w = ctx ? ioaio__walk_get (ctx, id) : 0;
  if (!w || depth < 0)
    return -EINVAL;
  if (!path)
    return -EFAULT;
  size_t len = strlen (path);
  struct walk_item *it = item_new (0, (uint32_t)depth, path, len, "", 0);
  if (!it)
    return -ENOMEM;
  /* item_new appended a '/' for the empty name: the path is as given. */
  it->pathlen = (uint32_t)len;
  it->path[len] = 0;
  it->nameoff = 0;
  pthread_mutex_lock (&w->lock);
  it->next = w->top;
  w->top = it;
  ++w->pending;
  pthread_mutex_unlock (&w->lock);
  return 0;
}

IOAIO_API int
ioaio_walk_pending (ioaio_ctx *ctx, int id)
{
  struct ioaio_walk *w = ctx ? ioaio__walk_get (ctx, id) : 0;
  if (!w)
    return -EINVAL;
  pthread_mutex_lock (&w->lock);
  int n = (int)w->pending;
  pthread_mutex_unlock (&w->lock);
  return n;
}

static void
walk_destroy (void *p)
{
  struct ioaio_walk *w = p;
  for (struct walk_item *it = w->top, *next; it; it = next)
    {
      next = it->next;
      dir_release (it->parent);
      free (it);
    }
  pthread_mutex_destroy (&w->lock);
  free (w);
}

static int
walk_busy (const void *p)
{
  return ((const struct ioaio_walk *)p)->steps != 0;
}

IOAIO_API int
ioaio_walk_free (ioaio_ctx *ctx, int id)
{
  return ctx ? idtab_handle_free (&ctx->walks, id, walk_busy, walk_destroy) : -EINVAL;
}

void
ioaio__walks_free (ioaio_ctx *ctx)
{
  idtab_destroy_all (&ctx->walks, walk_destroy);
}

int
ioaio__walk_step_submit (ioaio_ctx *ctx, eio_req *req, int id)
{
  struct ioaio_walk *w = ioaio__walk_get (ctx, id);
  if (!w)
    return -EINVAL;
  req->ptr1 = w;
  ++w->steps;
  return 0;
}
