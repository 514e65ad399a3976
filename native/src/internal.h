/* Private to the native core: libeio's request extension and our context. */
#ifndef IOAIO_INTERNAL_H
#define IOAIO_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

struct ioaio_ctx;

/* Our fields inside every eio_req (libeio's documented extension point). */
#define EIO_REQ_MEMBERS                                                      \
  struct ioaio_ctx *ctx;  /* owner: completions go to its done list */      \
  eio_req *done_next;     /* link in ctx->done */                           \
  void *res1, *res2;      /* result buffers taken over from ptr1/ptr2 */    \
  int64_t res_len;        /* bytes of a detached payload */                 \
  uint32_t slot;          /* id the JS side knows the request by */         \
  uint8_t kind;           /* enum ioaio_kind */                             \
  uint8_t finished;       /* finish hook ran: the request was not cancelled */ \
  uint8_t detached;       /* payload waits in res2 for ioaio_take */        \
  double st[22];          /* stat results (IOAIO_STAT_FIELDS), no malloc */  \
  eio_wd own_wd;          /* wd_open's plain handle, until poll takes it */ \
  struct ioaio_dircache *dircache; /* statbatch: shared directory handles */ \
  const unsigned char *fmt_prog; /* statfmt: the line program */ \
  size_t fmt_len;

#include "eio.h"
#include "ioaio.h"

/* A growable table of small integer ids, with a free list; ids start at 0. */
struct idtab {
  void **v;
  uint32_t *free_ids;
  uint32_t n, cap, nfree;
};
int idtab_put (struct idtab *t, void *p);
void *idtab_get (const struct idtab *t, int id);
void idtab_del (struct idtab *t, int id);
void idtab_free (struct idtab *t);
/* Handles (walks, removals, directory caches): ids from 1. */
int idtab_handle_put (struct idtab *t, void *p);
void *idtab_handle_get (const struct idtab *t, int id);
int idtab_handle_free (struct idtab *t, int id, int (*busy) (const void *), void (*destroy) (void *));
void idtab_destroy_all (struct idtab *t, void (*destroy) (void *));

struct ioaio_ctx {
  int pipe_r, pipe_w;       /* want_poll writes a byte to pipe_w */
  pthread_mutex_t lock;     /* guards done/done_tail: any polling thread appends */
  eio_req *done, *done_tail;
  struct idtab slots;       /* slot -> eio_req, owner thread only */
  struct idtab wds;         /* wd id - 1 -> eio_wd, owner thread only */
  struct idtab walks;       /* walk id - 1 -> struct ioaio_walk, owner thread only */
  struct idtab rms;         /* rm id - 1 -> struct ioaio_rm, owner thread only */
  struct idtab dircaches;   /* dircache id - 1 -> struct ioaio_dircache, owner thread only */
  unsigned inflight;        /* submitted and not yet handed out by ioaio_poll */
  int batching;             /* IOAIO_MODE_BATCH: stage until ioaio_submit_flush */
  int turns;                /* IOAIO_MODE_TURNS */
  int awake;                /* atomic: the host will poll at the end of its turn */
  eio_req *staged, *staged_tail; /* owner thread only, linked by done_next */
  eio_req *spare;           /* recycled requests, owner thread only, by done_next */
  unsigned nspare;
  struct ioaio_ctx *next;   /* global list, for want_poll */
};

/* ctx.c */
int ioaio__ensure_pool (void);
eio_req *ioaio__req_new (ioaio_ctx *ctx, int kind, int type, int pri);
int ioaio__submit (ioaio_ctx *ctx, eio_req *req);
void ioaio__req_free (eio_req *req);
void ioaio__req_recycle (ioaio_ctx *ctx, eio_req *req);
void ioaio__poll_lock (ioaio_ctx *self);
void ioaio__poll_unlock (void);
eio_req *ioaio__take_own (void);
int ioaio__resolve_wd (ioaio_ctx *ctx, int id, eio_wd *out);

/* eio-embed.c: what only libeio's own translation unit can see */
int ioaio__wd_fd (eio_wd wd);
eio_wd ioaio__wd_from_fd (int fd);
void ioaio__set_min_parallel (unsigned n);
void ioaio__set_max_parallel (unsigned n);
void ioaio__submit_batch (eio_req *list);
int ioaio__poll_batch (void);

/* exec.c: custom requests run on libeio's threads */
void ioaio__exec_stat (eio_req *req);
int ioaio__statx_fill (int dirfd, const char *path, int flags, double *f);
void ioaio__exec_statbatch (eio_req *req);
/* Every path of a statbatch request, stat'ed in order: emit(arg, index,
 * path, its length, errno or 0, the IOAIO_STAT_FIELDS fields). */
void ioaio__statbatch_each (eio_req *req, void (*emit) (void *arg, size_t i, const char *path, size_t len, int err, const double *f), void *arg);
/* statfmt.c */
void ioaio__exec_statfmt (eio_req *req);
int ioaio__statfmt_valid (const unsigned char *prog, size_t len);
void ioaio__exec_load (eio_req *req);
void ioaio__exec_fiemap (eio_req *req);
void ioaio__exec_copy (eio_req *req);
void ioaio__exec_utime (eio_req *req);
void ioaio__exec_wd_plain (eio_req *req);
struct stat;
void ioaio__fill_stat (double *f, const struct stat *s);

/* copyfile.c */
void ioaio__exec_copyfile (eio_req *req);
void ioaio__exec_copyfiles (eio_req *req);
/* The one data-copy ladder (aio.copy's and copyfile's): [off, off + len) of
 * sfd to the same offset of dfd, len < 0 to the end; copy_file_range, else
 * sendfile, else read/write, falling back as the filesystems refuse (method
 * remembers where it got to; buf is its read/write buffer, the caller frees). */
enum { IOAIO_COPY_CFR, IOAIO_COPY_SENDFILE, IOAIO_COPY_RW };
int ioaio__copy_range (int sfd, int dfd, off_t off, off_t len, int *method, char **buf);

/* dircache.c */
struct ioaio_dircache;
struct dc_ent;
struct dc_ent *ioaio__dircache_get (struct ioaio_dircache *c, const char *dir, size_t len);
int ioaio__dircache_fd (const struct dc_ent *e);
void ioaio__dircache_put (struct ioaio_dircache *c, struct dc_ent *e);
struct ioaio_dircache *ioaio__dircache_lookup (ioaio_ctx *ctx, int id);
void ioaio__dircache_batch (struct ioaio_dircache *c, int delta);
void ioaio__dircaches_free (ioaio_ctx *ctx);

/* walk.c */
struct ioaio_walk;
void ioaio__exec_walkstep (eio_req *req);
int ioaio__walk_step_submit (ioaio_ctx *ctx, eio_req *req, int id);
void ioaio__walk_step_done (struct ioaio_walk *w);
void ioaio__walks_free (ioaio_ctx *ctx);

/* rmtree.c */
struct ioaio_rm;
void ioaio__exec_rmstep (eio_req *req);
int ioaio__rm_step_submit (ioaio_ctx *ctx, eio_req *req, int id);
void ioaio__rm_step_done (struct ioaio_rm *rm);
void ioaio__rms_free (ioaio_ctx *ctx);

#endif
