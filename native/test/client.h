/* The caller's side of ioaio_poll: a context, its wake-up fd, and the
 * records collected so far, parsed exactly as ioaio.h documents them.
 * Included by harness.h (needs its CHECK macros and now_s). */
#ifndef IOAIO_TEST_CLIENT_H
#define IOAIO_TEST_CLIENT_H

/* One parsed completion record; payload points into a copy we own. */
struct rec {
  uint32_t slot, len;
  double result;
  int32_t err;
  uint8_t kind, rflags;
  uint8_t *payload; /* len - IOAIO_REC_HEADER bytes, malloc'd, or 0 */
  uint32_t plen;
};

#define POLL_BUF (256 * 1024)

/* What the caller of ioaio_poll sees: a context, its wake-up fd and the
 * records collected so far, indexed by slot. */
struct client {
  ioaio_ctx *ctx;
  int fd;
  uint8_t *buf;
  struct rec *by_slot;
  uint8_t *have;
  uint32_t nslots;
  uint32_t got;         /* records received */
  uint32_t last_flags;  /* header flags of the last ioaio_poll */
};

static inline void
client_init (struct client *c)
{
  memset (c, 0, sizeof *c);
  c->ctx = ioaio_ctx_new ();
  CHECK (c->ctx);
  c->fd = ioaio_poll_fileno (c->ctx);
  CHECK (c->fd >= 0);
  CHECK (fcntl (c->fd, F_SETFL, fcntl (c->fd, F_GETFL) | O_NONBLOCK) == 0);
  c->buf = malloc (POLL_BUF);
  CHECK (c->buf);
}

static inline void
client_forget (struct client *c)
{
  for (uint32_t i = 0; i < c->nslots; ++i)
    {
      free (c->by_slot[i].payload);
      c->by_slot[i].payload = 0;
      c->have[i] = 0;
    }
  c->got = 0;
}

/* Frees everything; the context must be idle. */
static inline void
client_free (struct client *c)
{
  client_forget (c);
  free (c->by_slot);
  free (c->have);
  free (c->buf);
  CHECK_EQ (ioaio_ctx_free (c->ctx), 0);
  close (c->fd);
}

static inline void
drain_pipe (int fd)
{
  char b[256];
  while (read (fd, b, sizeof b) > 0)
    ;
}

static inline void
store (struct client *c, const struct rec *r)
{
  if (r->slot >= c->nslots)
    {
      uint32_t n = r->slot + 64;
      c->by_slot = realloc (c->by_slot, n * sizeof *c->by_slot);
      c->have = realloc (c->have, n);
      CHECK (c->by_slot && c->have);
      memset (c->by_slot + c->nslots, 0, (n - c->nslots) * sizeof *c->by_slot);
      memset (c->have + c->nslots, 0, n - c->nslots);
      c->nslots = n;
    }
  /* A slot is reused only after its record was handed out: a context never
   * sees two records for one slot before the test forgets the first. */
  CHECK (!c->have[r->slot]);
  c->have[r->slot] = 1;
  c->by_slot[r->slot] = *r;
  c->got++;
}

/* Parses one ioaio_poll buffer holding n records into the client's table. */
static inline void
parse_buffer (struct client *c, const uint8_t *buf, int n)
{
  uint32_t used, flags;
  memcpy (&used, buf, 4);
  memcpy (&flags, buf + 4, 4);
  c->last_flags = flags;
  CHECK (used >= IOAIO_POLL_HEADER && used <= POLL_BUF);
  CHECK (n == 0 || used > IOAIO_POLL_HEADER);
  size_t off = IOAIO_POLL_HEADER;
  for (int i = 0; i < n; ++i)
    {
      struct rec r = { 0 };
      uint16_t zero;
      CHECK (off % 8 == 0);
      CHECK (off + IOAIO_REC_HEADER <= used);
      memcpy (&r.slot, buf + off, 4);
      memcpy (&r.len, buf + off + 4, 4);
      memcpy (&r.result, buf + off + 8, 8);
      memcpy (&r.err, buf + off + 16, 4);
      r.kind = buf[off + 20];
      r.rflags = buf[off + 21];
      memcpy (&zero, buf + off + 22, 2);
      CHECK_EQ (zero, 0);
      CHECK (r.len >= IOAIO_REC_HEADER && r.len % 8 == 0);
      CHECK (off + r.len <= used);
      CHECK (r.kind < IOAIO_KIND_COUNT);
      r.plen = r.len - IOAIO_REC_HEADER;
      if (r.plen)
        {
          r.payload = malloc (r.plen);
          CHECK (r.payload);
          memcpy (r.payload, buf + off + IOAIO_REC_HEADER, r.plen);
        }
      store (c, &r);
      off += r.len;
    }
  CHECK_EQ (off, used);
}

/* One round: wait (bounded), drain the wake-up pipe, poll. Returns records. */
static inline int
client_poll_once (struct client *c, int timeout_ms)
{
  int w = ioaio_poll_wait (c->ctx, timeout_ms);
  CHECK (w >= 0);
  drain_pipe (c->fd);
  int n = ioaio_poll (c->ctx, c->buf, POLL_BUF);
  CHECK (n >= 0);
  parse_buffer (c, c->buf, n);
  return n;
}

/* Polls until `want` records in total have arrived; fails after 20 s. */
static inline void
client_wait (struct client *c, uint32_t want)
{
  double deadline = now_s () + 20;
  while (c->got < want)
    {
      CHECK (now_s () < deadline);
      client_poll_once (c, 200);
    }
  CHECK_EQ (c->got, want);
}

static inline const struct rec *
rec_of (const struct client *c, int slot)
{
  CHECK (slot >= 0 && (uint32_t)slot < c->nslots && c->have[slot]);
  return &c->by_slot[slot];
}

static inline double
stat_field (const struct rec *r, int field)
{
  double v;
  CHECK (r->plen >= IOAIO_STAT_FIELDS * sizeof (double));
  memcpy (&v, r->payload + field * sizeof (double), sizeof v);
  return v;
}

#endif
