/* dircache: O_PATH handles on recently used directories, shared by the
 * statbatch requests of one caller (pstat) across batches and threads.
 *
 * Perf: a batch holds a handle on a directory only while its paths run in a
 * row; on NFS and FUSE the small batches pstat uses there cut each
 * directory's paths into several batches, and each batch paid the directory
 * path walk again (one round trip per component). With a cache, every
 * directory is walked about once per run.
 *
 * A cache belongs to whoever made it, and lives until it is freed: handles
 * stay valid if a directory is renamed meanwhile, as with IO::AIO's aio_wd,
 * so callers make one per run rather than keep one forever. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define DC_SIZE 256

/* fd of an entry another thread is opening: wait for it on c->opened. */
#define DC_OPENING (-2)

struct dc_ent {
  char *path; /* NULL: free slot */
  size_t len;
  int fd;     /* >= 0; DC_OPENING; -1: the open failed (freed at refs 0) */
  int refs;
  uint64_t used;
};

struct ioaio_dircache {
  pthread_mutex_t lock;
  pthread_cond_t opened; /* an entry left DC_OPENING */
  struct dc_ent e[DC_SIZE];
  uint64_t tick;
  unsigned batches; /* submitted and not yet polled, owner thread only */
};

static struct dc_ent *
find (struct ioaio_dircache *c, const char *dir, size_t len)
{
  for (int i = 0; i < DC_SIZE; ++i)
    if (c->e[i].path && c->e[i].len == len && !memcmp (c->e[i].path, dir, len))
      return &c->e[i];
  return 0;
}

/* Drops a reference, with the lock held; a failed entry goes at the last. */
static void
unref (struct dc_ent *e)
{
  if (--e->refs == 0 && e->fd == -1)
    {
      free (e->path);
      e->path = 0;
    }
}

/* The entry for dir[0, len) with a reference taken, opening it if needed;
 * NULL if it cannot be opened or the cache is full of entries in use (the
 * caller then stats full paths).
 * Perf: a directory is opened once however many threads want it at the same
 * moment (pstat's small batches split a directory's names between threads):
 * the others wait for the first one's open instead of paying the round
 * trips again. */
struct dc_ent *
ioaio__dircache_get (struct ioaio_dircache *c, const char *dir, size_t len)
{
  pthread_mutex_lock (&c->lock);
  struct dc_ent *e = find (c, dir, len);
  if (e)
    {
      ++e->refs;
      e->used = ++c->tick;
      while (e->fd == DC_OPENING)
        pthread_cond_wait (&c->opened, &c->lock);
      if (e->fd < 0)
        {
          unref (e);
          e = 0;
        }
      pthread_mutex_unlock (&c->lock);
      return e;
    }

  struct dc_ent *victim = 0;
  for (int i = 0; i < DC_SIZE; ++i)
    {
      struct dc_ent *v = &c->e[i];
      if (v->refs == 0 && (!victim || !v->path || (victim->path && v->used < victim->used)))
        victim = v;
    }
  char *path = victim ? strndup (dir, len) : 0;
  if (!path)
    {
      pthread_mutex_unlock (&c->lock);
      return 0;
    }
  if (victim->path)
    {
      if (victim->fd >= 0)
        close (victim->fd);
      free (victim->path);
    }
  victim->path = path;
  victim->len = len;
  victim->fd = DC_OPENING;
  victim->refs = 1;
  victim->used = ++c->tick;

  pthread_mutex_unlock (&c->lock);

  /* Perf: opened relative to its parent's handle, which is taken from the
   * cache (waiting if another thread is opening it) or opened first the same
   * way, so on NFS a directory costs one round trip for its last component,
   * not one per component of its path. Waiting matters: pstat's threads
   * start on sibling directories at once, and a walk from the deepest
   * ancestor already open instead of the parent being opened paid the
   * parent's components again (2,767 LOOKUPs for 1,110 directories). */
  struct dc_ent *anc = 0;
  const char *slash = memrchr (dir, '/', len);
  while (slash && slash > dir && slash[-1] == '/')
    --slash;
  if (slash && slash > dir)
    anc = ioaio__dircache_get (c, dir, (size_t)(slash - dir));

  /* Opened without the lock: on NFS a round trip for the last component,
   * or one per component of a path with no parent to start from. */
  int fd;
  if (anc)
    {
      const char *rest = path + anc->len;
      while (*rest == '/') /* "a//b": never an absolute path for openat */
        ++rest;
      fd = openat (anc->fd, *rest ? rest : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
  else
    fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);

  pthread_mutex_lock (&c->lock);
  if (anc)
    unref (anc);
  victim->fd = fd >= 0 ? fd : -1;
  pthread_cond_broadcast (&c->opened);
  if (fd < 0)
    {
      unref (victim);
      victim = 0;
    }
  pthread_mutex_unlock (&c->lock);
  return victim;
}

int
ioaio__dircache_fd (const struct dc_ent *e)
{
  return e->fd;
}

void
ioaio__dircache_put (struct ioaio_dircache *c, struct dc_ent *e)
{
  pthread_mutex_lock (&c->lock);
  unref (e);
  pthread_mutex_unlock (&c->lock);
}

static void
dircache_destroy (void *p)
{
  struct ioaio_dircache *c = p;
  for (int i = 0; i < DC_SIZE; ++i)
    if (c->e[i].path)
      {
        if (c->e[i].fd >= 0)
          close (c->e[i].fd);
        free (c->e[i].path);
      }
  pthread_cond_destroy (&c->opened);
  pthread_mutex_destroy (&c->lock);
  free (c);
}

IOAIO_API int
ioaio_dircache_new (ioaio_ctx *ctx)
{
  if (!ctx)
    return -EINVAL;
  struct ioaio_dircache *c = calloc (1, sizeof *c);
  if (!c)
    return -ENOMEM;
  pthread_mutex_init (&c->lock, 0);
  pthread_cond_init (&c->opened, 0);
  int id = idtab_handle_put (&ctx->dircaches, c);
  if (id < 0)
    dircache_destroy (c);
  return id;
}

struct ioaio_dircache *
ioaio__dircache_lookup (ioaio_ctx *ctx, int id)
{
  return idtab_handle_get (&ctx->dircaches, id);
}

static int
dircache_busy (const void *p)
{
  return ((const struct ioaio_dircache *)p)->batches != 0;
}

IOAIO_API int
ioaio_dircache_free (ioaio_ctx *ctx, int id)
{
  return ctx ? idtab_handle_free (&ctx->dircaches, id, dircache_busy, dircache_destroy) : -EINVAL;
}

void
ioaio__dircache_batch (struct ioaio_dircache *c, int delta)
{
  c->batches += delta;
}

void
ioaio__dircaches_free (ioaio_ctx *ctx)
{
  idtab_destroy_all (&ctx->dircaches, dircache_destroy);
}
