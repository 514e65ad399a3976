/* Cancellation: queued requests never run; running ones finish, are flagged,
 * and what they acquired (an open fd) is released. */
#include <sys/stat.h>
#include "harness.h"

/* One thread, occupied by a busy request: everything after it queues. */
static int
occupy (struct client *c, double seconds)
{
  ioaio_set_max_parallel (1);
  int s = ioaio_req_misc (c->ctx, IOAIO_BUSY, 0, seconds);
  CHECK (s >= 0);
  /* wait until the thread has picked it up */
  double deadline = now_s () + 5;
  while (ioaio_nready () > 0)
    {
      CHECK (now_s () < deadline);
      sleep_ms (1);
    }
  return s;
}

static void
cancel_queued (void)
{
  struct client c;
  char *dir = make_tmpdir (), *file;
  struct stat st;
  client_init (&c);
  CHECK (asprintf (&file, "%s/keep", dir) > 0);
  write_file (file, "x", 1);

  int b = occupy (&c, 0.3);
  int n = ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0);
  int s = ioaio_req_path (c.ctx, IOAIO_STAT, 0, 0, file, 0, 0);
  int u = ioaio_req_path (c.ctx, IOAIO_UNLINK, 0, 0, file, 0, 0);
  int keep = ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0);
  CHECK (n >= 0 && s >= 0 && u >= 0 && keep >= 0);
  CHECK_EQ (ioaio_nready (), 4);
  CHECK_EQ (ioaio_cancel (c.ctx, n), 0);
  CHECK_EQ (ioaio_cancel (c.ctx, s), 0);
  CHECK_EQ (ioaio_cancel (c.ctx, u), 0);
  CHECK_EQ (ioaio_cancel (c.ctx, u), 0); /* twice is harmless */
  client_wait (&c, 5);

  int cancelled[] = { n, s, u };
  for (int i = 0; i < 3; ++i)
    {
      const struct rec *r = rec_of (&c, cancelled[i]);
      CHECK (r->rflags & IOAIO_R_CANCELLED);
      CHECK_EQ (r->err, ECANCELED);
      CHECK_EQ (r->result, -1);
      CHECK_EQ (r->len, IOAIO_REC_HEADER);
    }
  CHECK_EQ (rec_of (&c, b)->rflags, 0);
  CHECK_EQ (rec_of (&c, keep)->rflags, 0);
  CHECK_EQ (rec_of (&c, keep)->err, 0);
  CHECK (stat (file, &st) == 0); /* the unlink never ran */
  /* handed out: the slot is no longer cancellable */
  CHECK_EQ (ioaio_cancel (c.ctx, u), -ENOENT);

  free (file);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* A request cancelled while it executes still completes its work. */
static void
cancel_running (void)
{
  struct client c;
  client_init (&c);
  double t0 = now_s ();
  int b = occupy (&c, 0.2);
  sleep_ms (50);
  CHECK_EQ (ioaio_cancel (c.ctx, b), 0);
  client_wait (&c, 1);
  CHECK (now_s () - t0 >= 0.19);
  const struct rec *r = rec_of (&c, b);
  CHECK (r->rflags & IOAIO_R_CANCELLED);
  CHECK (r->err != ECANCELED); /* it did run */
  client_free (&c);
}

/* Opening a FIFO blocks until a writer appears: that keeps the open
 * executing while we cancel it. The fd it returns must be closed for us. */
static void
cancel_running_open_closes_fd (void)
{
  struct client c;
  char *dir = make_tmpdir (), *fifo;
  client_init (&c);
  CHECK (asprintf (&fifo, "%s/fifo", dir) > 0);
  CHECK (mkfifo (fifo, 0600) == 0);

  int o = ioaio_req_path (c.ctx, IOAIO_OPEN, 0, 0, fifo, O_RDONLY | O_CLOEXEC, 0);
  CHECK (o >= 0);
  double deadline = now_s () + 5;
  while (ioaio_nready () > 0)
    {
      CHECK (now_s () < deadline);
      sleep_ms (1);
    }
  sleep_ms (50);
  CHECK_EQ (ioaio_npending (), 0); /* still blocked in open(2) */
  CHECK_EQ (ioaio_cancel (c.ctx, o), 0);
  int w = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC); /* releases the reader */
  CHECK (w >= 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, o);
  CHECK (r->rflags & IOAIO_R_CANCELLED);
  CHECK_EQ (r->err, 0);
  CHECK (r->result >= 0);
  /* the descriptor the open returned is closed again */
  CHECK (fcntl ((int)r->result, F_GETFD) < 0 && errno == EBADF);
  close (w);

  free (fifo);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* A request that finished in libeio but was not yet polled, then cancelled:
 * it reports cancellation and an open fd is closed, not leaked. */
static void
cancel_finished_unpolled_open (void)
{
  struct client c;
  client_init (&c);
  int o = ioaio_req_path (c.ctx, IOAIO_OPEN, 0, 0, "/etc/passwd", O_RDONLY | O_CLOEXEC, 0);
  CHECK (o >= 0);
  double deadline = now_s () + 5;
  while (ioaio_npending () < 1)
    {
      CHECK (now_s () < deadline);
      sleep_ms (1);
    }
  CHECK_EQ (ioaio_cancel (c.ctx, o), 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, o);
  CHECK (r->rflags & IOAIO_R_CANCELLED);
  CHECK (r->result >= 0);
  CHECK (fcntl ((int)r->result, F_GETFD) < 0 && errno == EBADF);
  client_free (&c);
}

static const struct test tests[] = {
  { "cancel_queued", cancel_queued },
  { "cancel_running", cancel_running },
  { "cancel_running_open_closes_fd", cancel_running_open_closes_fd },
  { "cancel_finished_unpolled_open", cancel_finished_unpolled_open },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
