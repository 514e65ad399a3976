/* The process-wide pool: poll buffer limits, max_poll_reqs, thread settings
 * and the counters. */
#include "harness.h"

/* More records than fit: IOAIO_POLL_MORE_DONE, and the rest come next time, in order. */
static void
poll_more_done (void)
{
  struct client c;
  enum { N = 4000 };
  const int cap = IOAIO_POLL_HEADER + IOAIO_REC_HEADER + IOAIO_INLINE_MAX;
  client_init (&c);
  ioaio_set_max_parallel (1); /* one thread: results come in submission order */
  for (int i = 0; i < N; ++i)
    CHECK_EQ (ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0), i);
  /* all finished before the first poll: it cannot hand them out in one go */
  double deadline = now_s () + 20;
  while (ioaio_npending () < N)
    {
      CHECK (now_s () < deadline);
      sleep_ms (1);
    }
  const int per_poll = (cap - IOAIO_POLL_HEADER) / IOAIO_REC_HEADER;
  int polls = 0;
  while (c.got < N)
    {
      CHECK (polls < 10);
      uint32_t before = c.got;
      int n = ioaio_poll (c.ctx, c.buf, cap);
      CHECK (n >= 0 && n <= per_poll);
      parse_buffer (&c, c.buf, n);
      for (uint32_t s = before; s < c.got; ++s)
        CHECK (c.have[s]); /* in order: slots 0..got-1 */
      /* MORE_DONE exactly when records were left behind */
      CHECK_EQ ((c.last_flags & IOAIO_POLL_MORE_DONE) != 0, c.got < N);
      ++polls;
    }
  CHECK_EQ (polls, (N + per_poll - 1) / per_poll);
  CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 0);
  client_free (&c);
}

/* max_poll_reqs: libeio stops early and says so with IOAIO_POLL_MORE_RESULTS. */
static void
max_poll_reqs (void)
{
  struct client c;
  client_init (&c);
  for (int i = 0; i < 5; ++i)
    CHECK (ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0) >= 0);
  while (ioaio_npending () < 5)
    sleep_ms (5);
  ioaio_set_max_poll_reqs (1);
  int n = ioaio_poll (c.ctx, c.buf, POLL_BUF);
  parse_buffer (&c, c.buf, n);
  CHECK_EQ (n, 1);
  CHECK (c.last_flags & IOAIO_POLL_MORE_RESULTS);
  CHECK_EQ (ioaio_npending (), 4);
  ioaio_set_max_poll_reqs (0);
  client_wait (&c, 5);
  CHECK_EQ (ioaio_npending (), 0);
  CHECK_EQ (ioaio_nreqs (), 0);
  client_free (&c);
}

/* Pool settings made before the first context exists must not be lost
 * (they are process-wide, and a host may well configure the pool first). */
static void
settings_before_first_ctx (void)
{
  ioaio_set_max_parallel (1);
  ioaio_set_min_parallel (1);
  struct client c;
  client_init (&c);
  double t0 = now_s ();
  for (int i = 0; i < 4; ++i)
    CHECK (ioaio_req_misc (c.ctx, IOAIO_BUSY, 0, 0.05) >= 0);
  unsigned threads = ioaio_nthreads ();
  client_wait (&c, 4);
  CHECK_EQ (threads, 1);
  CHECK (now_s () - t0 >= 0.19); /* one after another */
  client_free (&c);
}

/* Lowering max_parallel ends threads; the counters must stay right. */
static void
nready_after_fewer_threads (void)
{
  struct client c;
  client_init (&c);
  ioaio_set_min_parallel (4);
  for (int i = 0; i < 4; ++i)
    CHECK (ioaio_req_misc (c.ctx, IOAIO_BUSY, 0, 0.05) >= 0);
  client_wait (&c, 4);
  CHECK_EQ (ioaio_nthreads (), 4);
  ioaio_set_max_parallel (1);
  sleep_ms (100);
  client_forget (&c);
  CHECK (ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0) >= 0);
  client_wait (&c, 1);
  CHECK_EQ (ioaio_nthreads (), 1);
  CHECK_EQ (ioaio_nreqs (), 0);
  CHECK_EQ (ioaio_npending (), 0);
  CHECK_EQ ((int)ioaio_nready (), 0);
  client_free (&c);
}

static const struct test tests[] = {
  { "poll_more_done", poll_more_done },
  { "max_poll_reqs", max_poll_reqs },
  { "settings_before_first_ctx", settings_before_first_ctx },
  { "nready_after_fewer_threads", nready_after_fewer_threads },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
