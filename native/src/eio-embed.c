/* libeio is meant to be embedded: its eio.c is compiled here, inside our
 * library, with our EIO_REQ_MEMBERS. Nothing of libeio is exported (the build
 * uses -fvisibility=hidden); only ioaio_* symbols leave the library. */
#include "internal.h"
#include "eio.c"

int
ioaio__wd_fd (eio_wd wd)
{
  return WD2FD (wd);
}

/* libeio bug (4.80 and upstream): etp_end_thread queues a QUIT request
 * without counting it in nready, but the worker that takes it decrements
 * nready, so every thread ended by lowering max_parallel leaves nready one
 * too low (it wraps below zero). We count the QUITs in for it. */
void
ioaio__set_max_parallel (unsigned n)
{
  etp_pool pool = EIO_POOL;

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
