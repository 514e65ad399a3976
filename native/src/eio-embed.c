/* libeio is meant to be embedded: its eio.c is compiled here, inside our
 * library, with our EIO_REQ_MEMBERS. Nothing of libeio is exported (the build
 * uses -fvisibility=hidden); only ioaio_* symbols leave the library. */
#include "internal.h"
#include <limits.h>
#include "eio.c"

int
ioaio__wd_fd (eio_wd wd)
{
  return WD2FD (wd);
}

/* A working-directory handle around an open directory fd, without the
 * realpath that eio_wd_open does (IOAIO_WD_OPEN with a = 1: a plain handle). */
eio_wd
ioaio__wd_from_fd (int fd)
{
  eio_wd wd = malloc (sizeof *wd);
  if (!wd)
    return 0;
  wd->fd = fd;
  wd->len = 0;
  wd->str[0] = 0;
  return wd;
}

/* eio_submit for a whole list (linked through done_next): the same
 * bookkeeping as etp_submit, but one lock and one wake-up for all of them.
 * Perf: etp_submit signals the condition per request, and on a busy pool
 * each signal is a futex syscall waking a worker that finds one request. */
void
ioaio__submit_batch (eio_req *list)
{
  etp_pool pool = EIO_POOL;
  unsigned n = 0;

  X_LOCK (pool->reqlock);
  for (eio_req *req = list, *next; req; req = next)
    {
      next = req->done_next;
      req->done_next = 0;
      req->pri -= ETP_PRI_MIN;
      if (req->pri < 0) req->pri = 0;
      if (req->pri > ETP_PRI_MAX - ETP_PRI_MIN) req->pri = ETP_PRI_MAX - ETP_PRI_MIN;
      ++pool->nreqs;
      ++pool->nready;
      reqq_push (&pool->req_queue, req);
      ++n;
    }
  /* Wake as many idle workers as there is new work, no more: a broadcast
   * woke every idle worker for two requests, and the rest went back to
   * sleep. A signal with nobody waiting costs no syscall. Measured on
   * cptree of a 100k-entry tree shaped like /usr (strace -c -f): 47.3k
   * futex calls against 50.1k with the broadcast, and no change in wall
   * time (2.3 s either way), so it is tidiness, not speed. */
  for (unsigned i = 0, wake = n < pool->idle ? n : pool->idle; i < wake; ++i)
    X_COND_SIGNAL (pool->reqwait);
  X_UNLOCK (pool->reqlock);

  /* it starts at most one thread per call */
  for (unsigned i = 0; i < n && i < pool->wanted; ++i)
    etp_maybe_start_thread (pool);
}

/* eio_poll for our requests: takes up to max_poll_reqs finished requests
 * from the result queue under one lock (etp_poll takes two locks per
 * request, which the workers contend for) and finishes them. Returns 0 when
 * the queue is empty, -1 when requests remain. We never submit libeio
 * groups, so etp_poll's group handling is not needed. */
int
ioaio__poll_batch (void)
{
  etp_pool pool = EIO_POOL;
  eio_req *head = 0, **tail = &head;
  unsigned n = 0, max;
  int more;

  X_LOCK (pool->reslock);
  max = pool->max_poll_reqs ? pool->max_poll_reqs : ~0u;
  while (n < max)
    {
      eio_req *req = reqq_shift (&pool->res_queue);
      if (!req)
        break;
      *tail = req;
      tail = &req->done_next;
      ++n;
    }
  *tail = 0;
  pool->npending -= n;
  more = pool->res_queue.size > 0;
  if (!more)
    ETP_DONE_POLL (pool);
  X_UNLOCK (pool->reslock);

  /* Before the early return, as etp_poll does first thing: a pool whose
   * limit was just raised has queued work and no results, and only a
   * submission or a poll starts its threads. */
  etp_maybe_start_thread (pool);

  if (!n)
    return 0;

  X_LOCK (pool->reqlock);
  pool->nreqs -= n;
  X_UNLOCK (pool->reqlock);

  for (eio_req *req = head, *next; req; req = next)
    {
      next = req->done_next; /* eio_finish hands req to our destroy hook, which reuses it */
      eio_finish (req);
    }

  return more ? -1 : 0;
}

/* The pool's size. libeio keeps one number, wanted, that min_parallel only
 * raises and max_parallel only lowers, so after max_parallel (0) (a pause)
 * a later max_parallel (2) changed nothing and queued work waited for ever.
 * We remember both and want min (asked_min, asked_max): a min_parallel
 * above the maximum raises the maximum with it (the later call wins, as in
 * libeio), and raising the maximum after a pause gives back up to the
 * highest minimum asked for (libeio's 4 by default). Either way threads
 * for work already queued start now, not at the next submission. Only the
 * JS thread calls these, as it submits. */
static unsigned asked_min, asked_max = UINT_MAX;
static int asked_known;

static void
start_for_queued (etp_pool pool)
{
  /* etp_maybe_start_thread starts at most one thread per call */
  for (unsigned i = 0; i < pool->wanted; ++i)
    {
      unsigned before = etp_nthreads (pool);
      etp_maybe_start_thread (pool);
      if (etp_nthreads (pool) == before)
        break;
    }
}

/* libeio bug (4.80 and upstream): etp_end_thread queues a QUIT request
 * without counting it in nready, but the worker that takes it decrements
 * nready, so every thread ended by lowering the size leaves nready one too
 * low (it wraps below zero). We count the QUITs in for it. */
static void
set_wanted (unsigned n)
{
  etp_pool pool = EIO_POOL;

  if (n > pool->wanted)
    {
      eio_set_min_parallel (n);
      start_for_queued (pool);
      return;
    }

  X_LOCK (pool->wrklock);
  unsigned before = pool->started;
  X_UNLOCK (pool->wrklock);

  eio_set_max_parallel (n); /* takes reqlock itself, once per QUIT */

  X_LOCK (pool->wrklock);
  unsigned after = pool->started;
  X_UNLOCK (pool->wrklock);

  if (before > after)
    {
      X_LOCK (pool->reqlock);
      pool->nready += before - after;
      X_UNLOCK (pool->reqlock);
    }
}

static void
know_asked (void)
{
  if (!asked_known)
    {
      asked_min = EIO_POOL->wanted; /* libeio's default (4) */
      asked_known = 1;
    }
}

void
ioaio__set_min_parallel (unsigned n)
{
  know_asked ();
  if (asked_min < n) /* as in libeio, a minimum only raises */
    asked_min = n;
  if (asked_max < n)
    asked_max = n;
  set_wanted (asked_min < asked_max ? asked_min : asked_max);
}

void
ioaio__set_max_parallel (unsigned n)
{
  know_asked ();
  asked_max = n;
  set_wanted (asked_min < n ? asked_min : n);
}
