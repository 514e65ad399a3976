/* Tree walks: IOAIO_WALKSTEP requests sharing one walk's stack. */
#include <sys/stat.h>
#include "harness.h"

/* A tree of `fan` subdirectories per directory, `depth` levels, and two files
 * in each directory; returns the number of entries below root. */
static unsigned
make_walk_tree (const char *dir, int fan, int depth)
{
  unsigned n = 0;
  for (int f = 0; f < 2; ++f)
    {
      char *p;
      CHECK (asprintf (&p, "%s/file%d", dir, f) > 0);
      write_file (p, "x", 1);
      free (p);
      ++n;
    }
  if (depth == 0)
    return n;
  for (int i = 0; i < fan; ++i)
    {
      char *p;
      CHECK (asprintf (&p, "%s/d%d", dir, i) > 0);
      CHECK (mkdir (p, 0755) == 0);
      n += 1 + make_walk_tree (p, fan, depth - 1);
      free (p);
    }
  return n;
}

struct totals {
  unsigned lines, dirs, files, records, listed;
  char *text; /* every line, '\n'-terminated */
  size_t text_len;
  int last_err; /* errno of the last record with one */
};

/* Takes one step record's payload (detached ones through ioaio_take). */
static void
add_step (struct client *c, const struct rec *r, struct totals *t)
{
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->kind, IOAIO_WALKSTEP);
  const uint8_t *p = r->payload;
  uint8_t *owned = 0;
  size_t plen = r->plen;
  if (r->rflags & IOAIO_R_DETACHED)
    {
      double bytes;
      memcpy (&bytes, r->payload, sizeof bytes);
      plen = (size_t)bytes;
      owned = malloc (plen);
      CHECK (owned);
      CHECK_EQ (ioaio_take (c->ctx, (int)r->slot, owned, plen), (long long)plen);
      p = owned;
    }
  uint32_t h[8];
  CHECK (plen >= sizeof h);
  memcpy (h, p, sizeof h);
  CHECK (32 + (size_t)h[0] + h[1] <= plen);
  t->dirs += h[2];
  t->files += h[3];
  t->listed += h[6];
  t->text = realloc (t->text, t->text_len + h[0] + 1);
  CHECK (t->text);
  memcpy (t->text + t->text_len, p + 32, h[0]);
  t->text_len += h[0];
  for (uint32_t i = 0; i < h[0]; ++i)
    t->lines += p[32 + i] == '\n' || p[32 + i] == 0; /* either terminator */
  for (size_t off = 32 + h[0]; off < 32 + (size_t)h[0] + h[1];)
    {
      uint32_t rec[3];
      memcpy (rec, p + off, sizeof rec);
      off += 12 + rec[2];
      ++t->records;
      if (rec[0])
        t->last_err = (int)rec[0];
    }
  free (owned);
}

/* Runs the walk to its end with up to `par` steps in flight. */
static void
run_walk (struct client *c, int walk, int par, int64_t budget, struct totals *t)
{
  int inflight = 0;
  int slots[64];
  CHECK (par <= 64);
  for (;;)
    {
      int pending = ioaio_walk_pending (c->ctx, walk);
      CHECK (pending >= 0);
      while (inflight < par && pending-- > 0)
        {
          int s = ioaio_req_fd (c->ctx, IOAIO_WALKSTEP, 0, walk, budget, 100000, 0);
          CHECK (s >= 0);
          slots[inflight++] = s;
        }
      if (!inflight)
        break;
      /* While a step is out, the walk cannot be freed. */
      CHECK_EQ (ioaio_walk_free (c->ctx, walk), -EBUSY);
      client_forget (c);
      client_wait (c, (uint32_t)inflight);
      for (int i = 0; i < inflight; ++i)
        add_step (c, rec_of (c, slots[i]), t);
      inflight = 0;
    }
}

static void
walk_whole_tree (void)
{
  struct client c;
  client_init (&c);
  char *root = make_tmpdir ();
  unsigned entries = make_walk_tree (root, 3, 3); /* 39 dirs, 80 files */

  int walk = ioaio_walk_new (c.ctx, IOAIO_LIST_DIRS | IOAIO_LIST_OTHERS | IOAIO_LIST_SLASH, '\n', 1000);
  CHECK (walk > 0);
  CHECK_EQ (ioaio_walk_push (c.ctx, walk, root, 0), 0);
  CHECK_EQ (ioaio_walk_pending (c.ctx, walk), 1);
  struct totals t = { 0 };
  run_walk (&c, walk, 4, 1, &t); /* budget 1 byte: one directory a step */
  CHECK_EQ (t.lines, entries);
  CHECK_EQ (t.dirs + t.files, entries);
  CHECK_EQ (t.listed, t.dirs + 1);
  CHECK_EQ (t.records, 0);
  /* Every line is a path below root that exists; directories end in '/'. */
  t.text[t.text_len] = 0;
  for (char *line = t.text, *nl; (nl = strchr (line, '\n')); line = nl + 1)
    {
      *nl = 0;
      struct stat st;
      CHECK (strncmp (line, root, strlen (root)) == 0);
      CHECK (lstat (line, &st) == 0);
      CHECK_EQ (S_ISDIR (st.st_mode), line[strlen (line) - 1] == '/');
    }
  CHECK_EQ (ioaio_walk_free (c.ctx, walk), 0);
  CHECK_EQ (ioaio_walk_pending (c.ctx, walk), -EINVAL);
  free (t.text);
  remove_tree (root);
  free (root);
  client_free (&c);
}

static void
walk_depth_and_errors (void)
{
  struct client c;
  client_init (&c);
  char *root = make_tmpdir ();
  make_walk_tree (root, 2, 2);

  /* max_depth 1: the root's entries only (2 dirs, 2 files), its subdirectories not listed. */
  int walk = ioaio_walk_new (c.ctx, IOAIO_LIST_OTHERS, 0, 1);
  CHECK (walk > 0);
  CHECK_EQ (ioaio_walk_push (c.ctx, walk, root, 0), 0);
  char *file;
  CHECK (asprintf (&file, "%s/file0", root) > 0);
  CHECK_EQ (ioaio_walk_push (c.ctx, walk, file, 0), 0); /* not a directory: a record */
  struct totals t = { 0 };
  run_walk (&c, walk, 2, 1 << 20, &t);
  CHECK_EQ (t.dirs, 2);
  CHECK_EQ (t.files, 2);
  CHECK_EQ (t.lines, 2); /* LIST_OTHERS: the files only, NUL-terminated */
  CHECK_EQ (t.records, 1);
  CHECK_EQ (t.last_err, ENOTDIR);
  CHECK_EQ (ioaio_walk_free (c.ctx, walk), 0);

  /* A walk freed with directories still on its stack, one of them holding
   * its parent's fd: nothing leaks (LeakSanitizer) and no fd stays open. */
  walk = ioaio_walk_new (c.ctx, IOAIO_LIST_DIRS, '\n', 1000);
  CHECK (walk > 0);
  CHECK_EQ (ioaio_walk_push (c.ctx, walk, root, 0), 0);
  int before = open ("/dev/null", O_RDONLY);
  CHECK (before >= 0);
  close (before);
  struct totals t2 = { 0 };
  int s = ioaio_req_fd (c.ctx, IOAIO_WALKSTEP, 0, walk, 1, 100000, 0);
  CHECK (s >= 0);
  client_forget (&c);
  client_wait (&c, 1);
  add_step (&c, rec_of (&c, s), &t2);
  CHECK_EQ (t2.listed, 1);
  CHECK_EQ (ioaio_walk_pending (c.ctx, walk), 2);
  CHECK_EQ (ioaio_walk_free (c.ctx, walk), 0);
  int after = open ("/dev/null", O_RDONLY);
  CHECK_EQ (after, before); /* the root's fd was closed with the walk */
  close (after);

  /* Bad arguments. */
  CHECK_EQ (ioaio_walk_new (c.ctx, 64, '\n', 1), -EINVAL);
  CHECK_EQ (ioaio_walk_push (c.ctx, 12345, root, 0), -EINVAL);
  CHECK_EQ (ioaio_req_fd (c.ctx, IOAIO_WALKSTEP, 0, 12345, 1, 1, 0), -EINVAL);

  free (t.text);
  free (t2.text);
  free (file);
  remove_tree (root);
  free (root);
  client_free (&c);
}

static const struct test tests[] = {
  { "walk_whole_tree", walk_whole_tree },
  { "walk_depth_and_errors", walk_depth_and_errors },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
