/* The completion path: ioaio_poll runs libeio's eio_poll and serialises this
 * context's finished requests into one caller buffer (layout in ioaio.h), so
 * the JS side pays one FFI crossing per batch rather than one per request. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "internal.h"

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

struct rec_head {
  uint32_t slot, len;
  double result;
  int32_t err;
  uint8_t kind, rflags;
  uint16_t zero;
};
_Static_assert (sizeof (struct rec_head) == IOAIO_REC_HEADER, "record header size");
_Static_assert (offsetof (struct rec_head, slot) == IOAIO_REC_SLOT_AT && offsetof (struct rec_head, len) == IOAIO_REC_LEN_AT
                && offsetof (struct rec_head, result) == IOAIO_REC_RESULT_AT && offsetof (struct rec_head, err) == IOAIO_REC_ERRNO_AT
                && offsetof (struct rec_head, kind) == IOAIO_REC_KIND_AT && offsetof (struct rec_head, rflags) == IOAIO_REC_RFLAGS_AT,
                "record field offsets (ioaio.h)");

struct dent_out {
  double ino;
  uint32_t name_off;
  uint16_t name_len;
  uint8_t type, zero;
};

/* Payload size of a finished request, before alignment. */
static size_t
payload_size (const eio_req *req)
{
  if (!req->finished || req->result < 0)
    return 0;
  switch (req->kind)
    {
      case IOAIO_STAT: case IOAIO_LSTAT: case IOAIO_FSTAT: case IOAIO_COPYFILE:
        return IOAIO_STAT_FIELDS * sizeof (double);
      case IOAIO_STATVFS: case IOAIO_FSTATVFS:
        return IOAIO_STATVFS_FIELDS * sizeof (double);
      case IOAIO_READLINK: case IOAIO_REALPATH: case IOAIO_LOAD: case IOAIO_WALKSTEP: case IOAIO_RMSTEP: case IOAIO_STATBATCH:
      case IOAIO_COPYFILES: case IOAIO_FIEMAP:
        return (size_t)req->result;
      case IOAIO_READDIR:
        {
          /* libeio's names block: result names, each NUL-terminated */
          const eio_dirent *d = req->res1;
          size_t names = 0;
          for (eio_ssize_t i = 0; i < req->result; ++i)
            names += d[i].namelen + 1u;
          return 16 + (size_t)req->result * sizeof (struct dent_out) + names;
        }
      default:
        return 0;
    }
}

/* Is the payload res2's first result bytes, as they are? */
static int
payload_is_res2 (const eio_req *req)
{
  switch (req->kind)
    {
      case IOAIO_READLINK: case IOAIO_REALPATH: case IOAIO_LOAD: case IOAIO_WALKSTEP: case IOAIO_RMSTEP: case IOAIO_STATBATCH:
      case IOAIO_COPYFILES: case IOAIO_FIEMAP:
        return req->res2 != 0;
      default:
        return 0;
    }
}

static void
write_payload (const eio_req *req, uint8_t *p)
{
  switch (req->kind)
    {
      case IOAIO_STAT: case IOAIO_LSTAT: case IOAIO_FSTAT: case IOAIO_COPYFILE:
        memcpy (p, req->st, IOAIO_STAT_FIELDS * sizeof (double));
        break;
      case IOAIO_STATVFS: case IOAIO_FSTATVFS:
        {
          const struct statvfs *s = req->res2;
          double f[IOAIO_STATVFS_FIELDS] = {
            (double)s->f_bsize, (double)s->f_frsize, (double)s->f_blocks, (double)s->f_bfree,
            (double)s->f_bavail, (double)s->f_files, (double)s->f_ffree, (double)s->f_favail,
            (double)s->f_fsid, (double)s->f_flag, (double)s->f_namemax,
          };
          memcpy (p, f, sizeof f);
          break;
        }
      case IOAIO_READLINK: case IOAIO_REALPATH: case IOAIO_LOAD: case IOAIO_WALKSTEP: case IOAIO_RMSTEP: case IOAIO_STATBATCH:
      case IOAIO_COPYFILES: case IOAIO_FIEMAP:
        memcpy (p, req->res2, (size_t)req->result);
        break;
      case IOAIO_READDIR:
        {
          const eio_dirent *d = req->res1;
          const char *names = req->res2;
          uint32_t count = (uint32_t)req->result, off = 0;
          struct dent_out *out = (struct dent_out *)(p + 16);
          char *nout = (char *)(out + count);
          for (uint32_t i = 0; i < count; ++i)
            {
              struct dent_out o = { (double)d[i].inode, off, d[i].namelen, d[i].type, 0 };
              memcpy (out + i, &o, sizeof o);
              memcpy (nout + off, names + d[i].nameofs, d[i].namelen + 1u);
              off += d[i].namelen + 1u;
            }
          uint32_t head[4] = { count, off, (uint32_t)req->int1, 0 };
          memcpy (p, head, sizeof head);
          break;
        }
    }
}

static double
result_of (ioaio_ctx *ctx, eio_req *req, int32_t *err)
{
  *err = req->result < 0 ? req->errorno : 0;
  if (req->result < 0 || !req->finished)
    return (double)req->result;

  if (req->kind == IOAIO_SEEK)
    return (double)req->offs;
  if (req->kind == IOAIO_WD_OPEN)
    {
      /* libeio's wd_open leaves the handle in req->wd, our plain one in own_wd */
      eio_wd wd = req->own_wd ? req->own_wd : req->wd;
      int id = idtab_put (&ctx->wds, wd);
      req->own_wd = 0;
      if (id < 0)
        {
          eio_wd_close_sync (wd);
          *err = -id;
          return -1;
        }
      req->wd = 0;
      return id + 1; /* 0 is the current directory */
    }
  return (double)req->result;
}

/* Writes one record; returns its size, or 0 when it does not fit. */
static size_t
emit (ioaio_ctx *ctx, eio_req *req, uint8_t *out, size_t room)
{
  size_t psize = payload_size (req);
  int detach = psize > IOAIO_INLINE_MAX;
  size_t len = IOAIO_REC_HEADER + ALIGN8 (detach ? sizeof (double) : psize);

  if (len > room)
    return 0;

  struct rec_head h = { req->slot, (uint32_t)len, 0, 0, req->kind, 0, 0 };
  h.result = result_of (ctx, req, &h.err);
  if (!req->finished)
    h.rflags |= IOAIO_R_CANCELLED;

  if (detach)
    {
      /* Serialise into a block of its own that waits in the slot for ioaio_take.
       * Perf: a payload that is already one block of its own (a walk step's
       * lines, a link's target) is that block, not a copy of it. */
      int whole = payload_is_res2 (req);
      uint8_t *blob = whole ? req->res2 : malloc (psize);
      if (!blob)
        {
          h.result = -1;
          h.err = ENOMEM;
          h.len = IOAIO_REC_HEADER;
          len = h.len;
        }
      else
        {
          if (!whole)
            {
              write_payload (req, blob);
              free (req->res2);
            }
          free (req->res1);
          req->res1 = 0;
          req->res2 = blob;
          req->res_len = (int64_t)psize;
          req->detached = 1;
          h.rflags |= IOAIO_R_DETACHED;
          double bytes = (double)psize;
          memcpy (out + IOAIO_REC_HEADER, &bytes, sizeof bytes);
        }
    }
  else if (psize)
    {
      write_payload (req, out + IOAIO_REC_HEADER);
      memset (out + IOAIO_REC_HEADER + psize, 0, len - IOAIO_REC_HEADER - psize);
    }
  if (req->kind == IOAIO_WALKSTEP)
    ioaio__walk_step_done (req->ptr1);
  if (req->kind == IOAIO_RMSTEP)
    ioaio__rm_step_done (req->ptr1);
  if (req->kind == IOAIO_STATBATCH && req->dircache)
    ioaio__dircache_batch (req->dircache, -1);

  memcpy (out, &h, sizeof h);
  --ctx->inflight;
  if (!req->detached)
    {
      idtab_del (&ctx->slots, (int)req->slot);
      ioaio__req_recycle (ctx, req);
    }
  return len;
}

static int poll_into (ioaio_ctx *ctx, uint8_t *out, int cap);

IOAIO_API int
ioaio_poll (ioaio_ctx *ctx, uint8_t *out, int cap)
{
  if (ctx && ctx->turns)
    __atomic_store_n (&ctx->awake, 1, __ATOMIC_SEQ_CST);
  return poll_into (ctx, out, cap);
}

IOAIO_API int
ioaio_poll_final (ioaio_ctx *ctx, uint8_t *out, int cap)
{
  if (!ctx)
    return -EINVAL;
  /* Re-arm the wake-up first: whatever lands after this store writes a
   * byte, whatever landed before it is in the queue this poll drains (the
   * store is ordered before poll_into's lock, want_poll runs under it). */
  __atomic_store_n (&ctx->awake, 0, __ATOMIC_SEQ_CST);
  int n = poll_into (ctx, out, cap);
  if (n > 0 && ctx->turns)
    __atomic_store_n (&ctx->awake, 1, __ATOMIC_SEQ_CST); /* the host takes another turn */
  return n;
}

static int
poll_into (ioaio_ctx *ctx, uint8_t *out, int cap)
{
  if (!ctx || !out)
    return -EINVAL;
  if (cap < IOAIO_POLL_HEADER + IOAIO_REC_HEADER + IOAIO_INLINE_MAX)
    return -ENOBUFS;

  uint32_t flags = 0;
  ioaio_submit_flush (ctx);
  ioaio__poll_lock (ctx);
  if (ioaio__poll_batch () < 0)
    flags |= IOAIO_POLL_MORE_RESULTS;
  eio_req *own = ioaio__take_own ();
  ioaio__poll_unlock ();

  /* Requests other contexts' polls finished for us (and any put back last
   * time) come first, then this poll's own. */
  pthread_mutex_lock (&ctx->lock);
  eio_req *list = ctx->done;
  if (own)
    {
      if (ctx->done_tail)
        ctx->done_tail->done_next = own;
      else
        list = own;
    }
  ctx->done = ctx->done_tail = 0;
  pthread_mutex_unlock (&ctx->lock);

  size_t used = IOAIO_POLL_HEADER;
  int count = 0;
  while (list)
    {
      eio_req *next = list->done_next;
      size_t n = emit (ctx, list, out + used, (size_t)cap - used);
      if (!n)
        break;
      used += n;
      ++count;
      list = next;
    }

  if (list)
    {
      /* The buffer is full: put the rest back in front, in order. */
      eio_req *last = list;
      while (last->done_next)
        last = last->done_next;
      pthread_mutex_lock (&ctx->lock);
      last->done_next = ctx->done;
      if (!ctx->done)
        ctx->done_tail = last;
      ctx->done = list;
      pthread_mutex_unlock (&ctx->lock);
      flags |= IOAIO_POLL_MORE_DONE;
    }

  uint32_t head[2] = { (uint32_t)used, flags };
  memcpy (out, head, sizeof head);
  return count;
}

IOAIO_API int64_t
ioaio_take (ioaio_ctx *ctx, int slot, uint8_t *out, int64_t cap)
{
  if (!ctx)
    return -EINVAL;
  eio_req *req = idtab_get (&ctx->slots, slot);
  if (!req || !req->detached)
    return -ENOENT;
  if (!out || cap < req->res_len)
    return -ENOBUFS;
  memcpy (out, req->res2, (size_t)req->res_len);
  int64_t len = req->res_len;
  idtab_del (&ctx->slots, slot);
  ioaio__req_free (req);
  return len;
}

IOAIO_API int
ioaio_cancel (ioaio_ctx *ctx, int slot)
{
  if (!ctx)
    return -EINVAL;
  eio_req *req = idtab_get (&ctx->slots, slot);
  if (!req || req->detached)
    return -ENOENT;
  /* Safe even if the request just finished: it stays allocated until this
   * context's ioaio_poll hands it out, and libeio only reads the flag. */
  eio_cancel (req);
  return 0;
}

IOAIO_API int
ioaio_poll_wait (ioaio_ctx *ctx, int timeout_ms)
{
  if (!ctx)
    return -EINVAL;
  /* Old wake-ups (already handled by a poll) would make the pipe look ready
   * for ever: drain them first, then look at the real state. A result that
   * lands after this writes a new byte. */
  ioaio_submit_flush (ctx);
  /* A blocked host polls at no end of turn: workers must write again. */
  __atomic_store_n (&ctx->awake, 0, __ATOMIC_SEQ_CST);
  char sink[256];
  while (read (ctx->pipe_r, sink, sizeof sink) > 0)
    ;
  pthread_mutex_lock (&ctx->lock);
  int ready = ctx->done != 0;
  pthread_mutex_unlock (&ctx->lock);
  if (ready || eio_npending ())
    return 1;
  /* The pipe keeps its bytes until the JS socket reads them, which cannot
   * happen while we block the JS thread: a result that arrives between the
   * check above and poll() still makes the pipe readable. */
  struct pollfd p = { ctx->pipe_r, POLLIN, 0 };
  int r;
  do
    r = poll (&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r > 0 ? 1 : r < 0 ? -errno : 0;
}

static const char *const kind_names[IOAIO_KIND_COUNT] = {
#define IOAIO_KIND_NAME_(k, name) name,
  IOAIO_KINDS (IOAIO_KIND_NAME_)
#undef IOAIO_KIND_NAME_
};

IOAIO_API const char *
ioaio_kind_name (int kind)
{
  return kind >= 0 && kind < IOAIO_KIND_COUNT ? kind_names[kind] : 0;
}

IOAIO_API void ioaio_set_min_parallel (unsigned n) { ioaio__ensure_pool (); ioaio__set_min_parallel (n); }
IOAIO_API void ioaio_set_max_parallel (unsigned n) { ioaio__ensure_pool (); ioaio__set_max_parallel (n); }
IOAIO_API void ioaio_set_max_idle (unsigned n) { ioaio__ensure_pool (); eio_set_max_idle (n); }
IOAIO_API void ioaio_set_idle_timeout (unsigned s) { ioaio__ensure_pool (); eio_set_idle_timeout (s); }
IOAIO_API void ioaio_set_max_poll_reqs (unsigned n) { ioaio__ensure_pool (); eio_set_max_poll_reqs (n); }
IOAIO_API unsigned ioaio_nreqs (void) { ioaio__ensure_pool (); return eio_nreqs (); }
IOAIO_API unsigned ioaio_nready (void) { ioaio__ensure_pool (); return eio_nready (); }
IOAIO_API unsigned ioaio_npending (void) { ioaio__ensure_pool (); return eio_npending (); }
IOAIO_API unsigned ioaio_nthreads (void) { ioaio__ensure_pool (); return eio_nthreads (); }
_Static_assert (sizeof ((eio_req *)0)->st == IOAIO_STAT_FIELDS * sizeof (double), "st must hold every stat field");
