/* Contexts, libeio's one-time start, and the hooks that route completions.
 *
 * libeio's pool is process-wide. Each context (one per JS module instance or
 * worker thread) gets its own pipe and done list. want_poll, called on a
 * worker thread, only writes a byte to every context's pipe. Whichever
 * context polls runs eio_poll under poll_mutex; libeio then calls our destroy
 * hook for each finished request, which appends it to its owner's done list
 * (waking the owner through its pipe if the owner is not the poller). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result;
static pthread_mutex_t list_mutex = PTHREAD_MUTEX_INITIALIZER; /* guards ctx_list */
static pthread_mutex_t poll_mutex = PTHREAD_MUTEX_INITIALIZER; /* one eio_poll at a time */
static ioaio_ctx *ctx_list;
static __thread ioaio_ctx *polling_ctx;
/* The poller's own finished requests, gathered without ctx->lock. */
static __thread eio_req *own_head, *own_tail;

static void
wake (ioaio_ctx *ctx)
{
  static const char byte = 1;
  /* EAGAIN means the pipe is already full of wake-ups: nothing is lost. */
  ssize_t r = write (ctx->pipe_w, &byte, 1);
  (void)r;
}

static void
want_poll (void)
{
  pthread_mutex_lock (&list_mutex);
  for (ioaio_ctx *c = ctx_list; c; c = c->next)
    if (!__atomic_load_n (&c->awake, __ATOMIC_SEQ_CST))
      wake (c);
  pthread_mutex_unlock (&list_mutex);
}

static void
done_poll (void)
{
  /* The JS side drains the pipe through its socket; nothing to undo here. */
}

static void
start_pool (void)
{
  init_result = eio_init (want_poll, done_poll) < 0 ? -(errno ? errno : ENOMEM) : 0;
}

/* eio_init resets the pool's limits, so every entry point that touches the
 * pool runs it first: settings made before the first request then stick. */
int
ioaio__ensure_pool (void)
{
  pthread_once (&init_once, start_pool);
  return init_result;
}

IOAIO_API int
ioaio_abi_version (void)
{
  return IOAIO_ABI_VERSION;
}

IOAIO_API ioaio_ctx *
ioaio_ctx_new (void)
{
  if (ioaio__ensure_pool () < 0)
    {
      errno = -init_result;
      return 0;
    }

  ioaio_ctx *ctx = calloc (1, sizeof *ctx);
  if (!ctx)
    return 0;

  int fds[2];
  if (pipe2 (fds, O_NONBLOCK | O_CLOEXEC) < 0)
    {
      free (ctx);
      return 0;
    }
  ctx->pipe_r = fds[0];
  ctx->pipe_w = fds[1];
  pthread_mutex_init (&ctx->lock, 0);

  pthread_mutex_lock (&list_mutex);
  ctx->next = ctx_list;
  ctx_list = ctx;
  pthread_mutex_unlock (&list_mutex);

  /* Results may already be waiting (another context's requests); make sure
   * this context polls at least once so it sees the pool's state. */
  wake (ctx);
  return ctx;
}

IOAIO_API int
ioaio_ctx_free (ioaio_ctx *ctx)
{
  if (!ctx)
    return -EINVAL;
  if (ctx->inflight)
    return -EBUSY;

  pthread_mutex_lock (&list_mutex);
  for (ioaio_ctx **p = &ctx_list; *p; p = &(*p)->next)
    if (*p == ctx)
      {
        *p = ctx->next;
        break;
      }
  pthread_mutex_unlock (&list_mutex);

  /* Requests still in the slot table are finished ones whose detached
   * payload was never taken (inflight is 0): free them with the context. */
  for (uint32_t i = 0; i < ctx->slots.n; ++i)
    if (ctx->slots.v[i])
      ioaio__req_free ((eio_req *)ctx->slots.v[i]);
  for (uint32_t i = 0; i < ctx->wds.n; ++i)
    if (ctx->wds.v[i])
      eio_wd_close_sync ((eio_wd)ctx->wds.v[i]);
  while (ctx->spare)
    {
      eio_req *next = ctx->spare->done_next;
      free (ctx->spare);
      ctx->spare = next;
    }
  ioaio__walks_free (ctx);
  ioaio__rms_free (ctx);
  ioaio__dircaches_free (ctx);
  idtab_free (&ctx->wds);
  idtab_free (&ctx->slots);
  close (ctx->pipe_r);
  close (ctx->pipe_w);
  pthread_mutex_destroy (&ctx->lock);
  free (ctx);
  return 0;
}

/* A new descriptor for the read end, owned by the caller: the host loop may
 * close its watcher's fd whenever it likes without closing ours. */
IOAIO_API int
ioaio_poll_fileno (ioaio_ctx *ctx)
{
  if (!ctx)
    return -EINVAL;
  int fd = fcntl (ctx->pipe_r, F_DUPFD_CLOEXEC, 3);
  return fd < 0 ? -errno : fd;
}

IOAIO_API unsigned
ioaio_ctx_nreqs (ioaio_ctx *ctx)
{
  return ctx ? ctx->inflight : 0;
}

/* libeio skips finish for cancelled requests; it still calls destroy for all. */
static int
on_finish (eio_req *req)
{
  req->finished = 1;
  /* Take over result buffers before libeio frees them. */
  if (req->flags & EIO_FLAG_PTR2_FREE)
    {
      req->res2 = req->ptr2;
      req->flags &= ~EIO_FLAG_PTR2_FREE;
    }
  if (req->type == EIO_READDIR && (req->flags & EIO_FLAG_PTR1_FREE))
    {
      req->res1 = req->ptr1;
      req->flags &= ~EIO_FLAG_PTR1_FREE;
    }
  return 0;
}

static void
on_destroy (eio_req *req)
{
  ioaio_ctx *ctx = req->ctx;

  /* eio_destroy has just freed what these flags marked. */
  req->flags &= ~(EIO_FLAG_PTR1_FREE | EIO_FLAG_PTR2_FREE);

  /* A request cancelled while it ran still did its work: release what it
   * acquired, since nobody will ever receive it. */
  if (!req->finished)
    {
      if ((req->type == EIO_OPEN
           || (req->type == EIO_FCNTL && (req->int2 == F_DUPFD || req->int2 == F_DUPFD_CLOEXEC)))
          && req->result >= 0)
        close ((int)req->result);
      else if (req->type == EIO_WD_OPEN && req->result == 0)
        {
          eio_wd_close_sync (req->wd);
          req->wd = 0;
        }
    }
  if (!req->finished && req->own_wd)
    {
      eio_wd_close_sync (req->own_wd);
      req->own_wd = 0;
    }

  req->done_next = 0;
  if (ctx == polling_ctx)
    {
      /* Perf: the common case, our own request: no lock per request. */
      if (own_tail)
        own_tail->done_next = req;
      else
        own_head = req;
      own_tail = req;
      return;
    }

  pthread_mutex_lock (&ctx->lock);
  if (ctx->done_tail)
    ctx->done_tail->done_next = req;
  else
    ctx->done = req;
  ctx->done_tail = req;
  pthread_mutex_unlock (&ctx->lock);
  wake (ctx);
}

/* The requests this thread's last poll finished for its own context. */
eio_req *
ioaio__take_own (void)
{
  eio_req *list = own_head;
  own_head = own_tail = 0;
  return list;
}

/* Perf: requests are recycled per context (only its owner thread creates
 * and frees them) instead of a calloc and a free each. */
#define SPARE_MAX 1024

eio_req *
ioaio__req_new (ioaio_ctx *ctx, int kind, int type, int pri)
{
  eio_req *req = ctx->spare;
  if (req)
    {
      ctx->spare = req->done_next;
      --ctx->nspare;
      memset (req, 0, sizeof *req);
    }
  else if (!(req = calloc (1, sizeof *req)))
    return 0;
  req->type = type;
  req->pri = pri < EIO_PRI_MIN ? EIO_PRI_MIN : pri > EIO_PRI_MAX ? EIO_PRI_MAX : pri;
  req->finish = on_finish;
  req->destroy = on_destroy;
  req->ctx = ctx;
  req->kind = (uint8_t)kind;
  return req;
}

/* Frees what a finished request (or one libeio never saw) still owns. */
static void
release_buffers (eio_req *req)
{
  if (req->flags & EIO_FLAG_PTR1_FREE)
    free (req->ptr1);
  if (req->flags & EIO_FLAG_PTR2_FREE)
    free (req->ptr2);
  free (req->res1);
  free (req->res2);
}

void
ioaio__req_free (eio_req *req)
{
  release_buffers (req);
  free (req);
}

/* Like ioaio__req_free, but keeps the struct for the next request. */
void
ioaio__req_recycle (ioaio_ctx *ctx, eio_req *req)
{
  if (ctx->nspare >= SPARE_MAX)
    {
      ioaio__req_free (req);
      return;
    }
  release_buffers (req);
  req->done_next = ctx->spare;
  ctx->spare = req;
  ++ctx->nspare;
}

int
ioaio__submit (ioaio_ctx *ctx, eio_req *req)
{
  int slot = idtab_put (&ctx->slots, req);
  if (slot < 0)
    {
      ioaio__req_free (req);
      return slot;
    }
  req->slot = (uint32_t)slot;
  ++ctx->inflight;
  if (!ctx->batching)
    {
      eio_submit (req);
      return slot;
    }
  req->done_next = 0;
  if (ctx->staged_tail)
    ctx->staged_tail->done_next = req;
  else
    ctx->staged = req;
  ctx->staged_tail = req;
  return slot;
}

IOAIO_API int
ioaio_ctx_set_mode (ioaio_ctx *ctx, int modes)
{
  if (!ctx || (modes & ~(IOAIO_MODE_BATCH | IOAIO_MODE_TURNS)))
    return -EINVAL;
  if (!(modes & IOAIO_MODE_BATCH))
    ioaio_submit_flush (ctx);
  if (!(modes & IOAIO_MODE_TURNS))
    __atomic_store_n (&ctx->awake, 0, __ATOMIC_SEQ_CST);
  ctx->batching = !!(modes & IOAIO_MODE_BATCH);
  ctx->turns = !!(modes & IOAIO_MODE_TURNS);
  return 0;
}

IOAIO_API int
ioaio_submit_flush (ioaio_ctx *ctx)
{
  if (!ctx)
    return -EINVAL;
  eio_req *list = ctx->staged;
  if (!list)
    return 0;
  int n = 0;
  for (eio_req *r = list; r; r = r->done_next)
    ++n;
  ctx->staged = ctx->staged_tail = 0;
  ioaio__submit_batch (list);
  return n;
}

void
ioaio__poll_lock (ioaio_ctx *self)
{
  pthread_mutex_lock (&poll_mutex);
  polling_ctx = self;
}

void
ioaio__poll_unlock (void)
{
  polling_ctx = 0;
  pthread_mutex_unlock (&poll_mutex);
}

int
ioaio__resolve_wd (ioaio_ctx *ctx, int id, eio_wd *out)
{
  if (id == 0)
    {
      *out = EIO_CWD;
      return 0;
    }
  eio_wd wd = idtab_get (&ctx->wds, id - 1);
  if (!wd)
    return -EBADF;
  *out = wd;
  return 0;
}
