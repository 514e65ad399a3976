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

#define DC_SIZE 64

struct dc_ent {
  char *path; /* NULL: free slot */
  size_t len;
  int fd;
  int refs;
  uint64_t used;
};

struct ioaio_dircache {
  pthread_mutex_t lock;
  struct dc_ent e[DC_SIZE];
  uint64_t tick;
  unsigned batches; /* submitted and not yet polled, owner thread only */
};

/* The entry for dir[0, len) with a reference taken, opening it if needed;
 * NULL if it cannot be opened or the cache is full of entries in use (the
 * caller then stats full paths). */
struct dc_ent *
ioaio__dircache_get (struct ioaio_dircache *c, const char *dir, size_t len)
{
  pthread_mutex_lock (&c->lock);
  for (int i = 0; i < DC_SIZE; ++i)
    if (c->e[i].path && c->e[i].len == len && !memcmp (c->e[i].path, dir, len))
      {
        struct dc_ent *e = &c->e[i];
        ++e->refs;
        e->used = ++c->tick;
        pthread_mutex_unlock (&c->lock);
        return e;
      }
  pthread_mutex_unlock (&c->lock);

  /* Opened without the lock: on NFS this is a round trip per component. */
  char *path = strndup (dir, len);
  if (!path)
    return 0;
  int fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      free (path);
      return 0;
    }

  pthread_mutex_lock (&c->lock);
  struct dc_ent *victim = 0;
  for (int i = 0; i < DC_SIZE; ++i)
    {
      struct dc_ent *e = &c->e[i];
      if (e->path && e->len == len && !memcmp (e->path, dir, len))
        {
          /* Another thread opened it meanwhile: use theirs. */
          ++e->refs;
          e->used = ++c->tick;
          pthread_mutex_unlock (&c->lock);
          close (fd);
          free (path);
          return e;
        }
      if (e->refs == 0 && (!victim || !e->path || (victim->path && e->used < victim->used)))
        victim = e;
    }
  if (!victim)
    {
      pthread_mutex_unlock (&c->lock);
      close (fd);
      free (path);
      return 0;
    }
  if (victim->path)
    {
      close (victim->fd);
      free (victim->path);
    }
  victim->path = path;
  victim->len = len;
  victim->fd = fd;
  victim->refs = 1;
  victim->used = ++c->tick;
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
  --e->refs;
  pthread_mutex_unlock (&c->lock);
}

static void
dircache_destroy (struct ioaio_dircache *c)
{
  for (int i = 0; i < DC_SIZE; ++i)
    if (c->e[i].path)
      {
        close (c->e[i].fd);
        free (c->e[i].path);
      }
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
  int id = idtab_put (&ctx->dircaches, c);
  if (id < 0)
    {
      dircache_destroy (c);
      return id;
    }
  return id + 1;
}

struct ioaio_dircache *
ioaio__dircache_lookup (ioaio_ctx *ctx, int id)
{
  return id > 0 ? idtab_get (&ctx->dircaches, id - 1) : 0;
}

IOAIO_API int
ioaio_dircache_free (ioaio_ctx *ctx, int id)
{
  struct ioaio_dircache *c = ctx ? ioaio__dircache_lookup (ctx, id) : 0;
  if (!c)
    return -EINVAL;
  if (c->batches)
    return -EBUSY;
  idtab_del (&ctx->dircaches, id - 1);
  dircache_destroy (c);
  return 0;
}

void
ioaio__dircache_batch (struct ioaio_dircache *c, int delta)
{
  c->batches += delta;
}

/* ioaio_ctx_free: caches left behind (their batches have all been polled). */
void
ioaio__dircaches_free (ioaio_ctx *ctx)
{
  for (uint32_t i = 0; i < ctx->dircaches.n; ++i)
    if (ctx->dircaches.v[i])
      dircache_destroy (ctx->dircaches.v[i]);
  idtab_free (&ctx->dircaches);
}
