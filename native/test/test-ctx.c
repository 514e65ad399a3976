/* Contexts: each sees only its own completions (also across threads), and
 * ioaio_ctx_free refuses while requests are in flight. */
#include "harness.h"
#include <pthread.h>

static void
two_contexts (void)
{
  struct client a, b;
  client_init (&a);
  client_init (&b);
  enum { N = 50 };
  int sa[N], sb[N];
  for (int i = 0; i < N; ++i)
    {
      sa[i] = ioaio_req_misc (a.ctx, i % 2 ? IOAIO_NOP : IOAIO_BUSY, 0, 0.001);
      sb[i] = ioaio_req_path (b.ctx, IOAIO_STAT, 0, 0, "/etc/passwd", 0, 0);
      CHECK (sa[i] >= 0 && sb[i] >= 0);
    }
  CHECK_EQ (ioaio_ctx_nreqs (a.ctx), N);
  CHECK_EQ (ioaio_ctx_nreqs (b.ctx), N);
  /* Only a polls until everything is done: b's results wait for b. */
  client_wait (&a, N);
  double deadline = now_s () + 10;
  while (ioaio_nreqs () > 0)
    {
      CHECK (now_s () < deadline);
      client_poll_once (&a, 50);
    }
  CHECK_EQ (a.got, N);
  for (int i = 0; i < N; ++i)
    CHECK_EQ (rec_of (&a, sa[i])->kind, i % 2 ? IOAIO_NOP : IOAIO_BUSY);
  /* b was woken through its pipe and gets exactly its own records */
  CHECK_EQ (ioaio_poll_wait (b.ctx, 1000), 1);
  client_wait (&b, N);
  for (int i = 0; i < N; ++i)
    {
      const struct rec *r = rec_of (&b, sb[i]);
      CHECK_EQ (r->kind, IOAIO_STAT);
      CHECK_EQ (r->err, 0);
    }
  CHECK_EQ (client_poll_once (&a, 0), 0);
  CHECK_EQ (client_poll_once (&b, 0), 0);
  client_free (&a);
  client_free (&b);
}

struct thread_arg {
  int id, n;
};

static void *
thread_main (void *p)
{
  struct thread_arg *t = p;
  struct client c;
  client_init (&c);
  int *slots = malloc (t->n * sizeof *slots);
  for (int round = 0; round < 5; ++round)
    {
      for (int i = 0; i < t->n; ++i)
        {
          slots[i] = t->id == 0 ? ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0)
                                : ioaio_req_path (c.ctx, IOAIO_STAT, 0, 0, "/etc/passwd", 0, 0);
          CHECK (slots[i] >= 0);
        }
      client_wait (&c, t->n); /* fails on a foreign or duplicate slot */
      for (int i = 0; i < t->n; ++i)
        CHECK_EQ (rec_of (&c, slots[i])->kind, t->id == 0 ? IOAIO_NOP : IOAIO_STAT);
      CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 0);
      client_forget (&c);
    }
  free (slots);
  client_free (&c);
  return 0;
}

static void
two_threads (void)
{
  pthread_t th[2];
  struct thread_arg args[2] = { { 0, 300 }, { 1, 300 } };
  for (int i = 0; i < 2; ++i)
    CHECK (pthread_create (&th[i], 0, thread_main, &args[i]) == 0);
  for (int i = 0; i < 2; ++i)
    CHECK (pthread_join (th[i], 0) == 0);
}

static void
ctx_free_busy (void)
{
  struct client c;
  client_init (&c);
  int s = ioaio_req_misc (c.ctx, IOAIO_BUSY, 0, 0.2);
  CHECK (s >= 0);
  CHECK_EQ (ioaio_ctx_free (c.ctx), -EBUSY);
  sleep_ms (300);
  /* finished in libeio but not handed out yet: still in flight for the context */
  CHECK_EQ (ioaio_ctx_free (c.ctx), -EBUSY);
  client_wait (&c, 1);
  CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 0);
  client_free (&c); /* checks ioaio_ctx_free == 0 */
}

/* A detached payload that is never taken: ioaio_ctx_free may refuse (-EBUSY)
 * or free it, but must not return 0 and leak it (LeakSanitizer checks). */
static void
ctx_free_untaken_detached (void)
{
  struct client c;
  char *dir = make_tmpdir (), *big;
  client_init (&c);
  CHECK (asprintf (&big, "%s/big", dir) > 0);
  char *data = calloc (1, 100000);
  write_file (big, data, 100000);
  int s = ioaio_req_path (c.ctx, IOAIO_LOAD, 0, 0, big, 0, 0);
  CHECK (s >= 0);
  client_wait (&c, 1);
  CHECK (rec_of (&c, s)->rflags & IOAIO_R_DETACHED);
  int r = ioaio_ctx_free (c.ctx);
  CHECK (r == 0 || r == -EBUSY);
  if (r == -EBUSY)
    {
      CHECK_EQ (ioaio_take (c.ctx, s, (uint8_t *)data, 100000), 100000);
      client_free (&c);
    }
  else
    {
      client_forget (&c);
      free (c.by_slot);
      free (c.have);
      free (c.buf);
      close (c.fd);
    }
  free (data);
  free (big);
  remove_tree (dir);
  free (dir);
}

static void
poll_wait_timeout (void)
{
  struct client c;
  client_init (&c);
  drain_pipe (c.fd); /* the wake-up a new context gets */
  double t0 = now_s ();
  CHECK_EQ (ioaio_poll_wait (c.ctx, 100), 0);
  CHECK (now_s () - t0 >= 0.09);
  int s = ioaio_req_misc (c.ctx, IOAIO_BUSY, 0, 0.05);
  CHECK (s >= 0);
  CHECK_EQ (ioaio_poll_wait (c.ctx, 5000), 1);
  CHECK (now_s () - t0 < 4);
  client_wait (&c, 1);
  client_free (&c);
}

static const struct test tests[] = {
  { "two_contexts", two_contexts },
  { "two_threads", two_threads },
  { "ctx_free_busy", ctx_free_busy },
  { "ctx_free_untaken_detached", ctx_free_untaken_detached },
  { "poll_wait_timeout", poll_wait_timeout },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
