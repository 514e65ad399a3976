/* Tree removal: IOAIO_RMSTEP requests sharing one engine (rmtree.c). */
#include <sys/stat.h>
#include "harness.h"

/* fan subdirectories a directory, depth levels, two files in each, a symlink
 * and a fifo in the root; returns the entries made, root included. */
static unsigned
make_rm_tree (const char *dir, int fan, int depth)
{
  unsigned n = 1;
  for (int f = 0; f < 2; ++f)
    {
      char *p;
      CHECK (asprintf (&p, "%s/file%d", dir, f) > 0);
      write_file (p, "x", 1);
      free (p);
      ++n;
    }
  for (int i = 0; depth > 0 && i < fan; ++i)
    {
      char *p;
      CHECK (asprintf (&p, "%s/d%d", dir, i) > 0);
      CHECK (mkdir (p, 0755) == 0);
      n += make_rm_tree (p, fan, depth - 1);
      free (p);
    }
  return n;
}

struct totals {
  uint32_t count[IOAIO_RM_COUNTS];
  unsigned removed_recs, error_recs, last_seq_plus1;
  char *text; /* the removed records' paths, '\n'-terminated, in sequence order */
  size_t text_len;
};

/* Takes one step's payload; steps must come in sequence order (run_rm waits for each). */
static void
add_step (struct client *c, const struct rec *r, struct totals *t)
{
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->kind, IOAIO_RMSTEP);
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
  uint32_t h[IOAIO_RM_HEAD / 4];
  CHECK (plen >= sizeof h);
  memcpy (h, p, sizeof h);
  CHECK (IOAIO_RM_HEAD + (size_t)h[0] <= plen);
  CHECK_EQ (h[3], t->last_seq_plus1); /* one step at a time here: in order */
  t->last_seq_plus1 = h[3] + 1;
  for (int i = 0; i < IOAIO_RM_COUNTS; ++i)
    t->count[i] += h[4 + i];
  for (size_t off = IOAIO_RM_HEAD; off < IOAIO_RM_HEAD + (size_t)h[0];)
    {
      uint32_t w[2];
      memcpy (w, p + off + 4, sizeof w);
      if (p[off] == IOAIO_RM_REC_REMOVED)
        {
          ++t->removed_recs;
          t->text = realloc (t->text, t->text_len + w[1] + 2);
          CHECK (t->text);
          memcpy (t->text + t->text_len, p + off + 12, w[1]);
          t->text_len += w[1];
          t->text[t->text_len++] = '\n';
          t->text[t->text_len] = 0;
        }
      else if (p[off] == IOAIO_RM_REC_ERROR)
        ++t->error_recs;
      off += 12 + w[1];
    }
  free (owned);
}

/* Runs the engine to its end with `par` steps in flight, taking the steps'
 * payloads in their sequence order (as the host must). */
static void
run_rm (struct client *c, int rm, int par, struct totals *t)
{
  int slots[16];
  int inflight = 0;
  CHECK (par <= 16);
  struct rec *done[16];
  for (;;)
    {
      int pending = ioaio_rm_pending (c->ctx, rm);
      CHECK (pending >= 0);
      while (pending > 0 && inflight < par)
        {
          int s = ioaio_req_fd (c->ctx, IOAIO_RMSTEP, 0, rm, 1 << 20, 20000, 0);
          CHECK (s >= 0);
          slots[inflight++] = s;
        }
      if (!inflight)
        break;
      CHECK_EQ (ioaio_rm_free (c->ctx, rm), -EBUSY);
      client_forget (c);
      client_wait (c, (uint32_t)inflight);
      for (int i = 0; i < inflight; ++i)
        done[i] = (struct rec *)rec_of (c, slots[i]);
      /* in sequence order */
      for (int k = 0; k < inflight; ++k)
        for (int i = 0; i < inflight; ++i)
          {
            uint32_t seq;
            memcpy (&seq, done[i]->payload + 12, 4);
            if (!(done[i]->rflags & IOAIO_R_DETACHED) && seq == t->last_seq_plus1)
              add_step (c, done[i], t);
          }
      inflight = 0;
    }
}

static int
fds_open (void)
{
  int fd = open ("/dev/null", O_RDONLY);
  CHECK (fd >= 0);
  close (fd);
  return fd;
}

static void
rm_whole_tree (void)
{
  struct client c;
  client_init (&c);
  char *root = make_tmpdir ();
  unsigned entries = make_rm_tree (root, 3, 3); /* 40 dirs, 80 files */
  char *link, *fifo;
  CHECK (asprintf (&link, "%s/link", root) > 0 && asprintf (&fifo, "%s/d0/fifo", root) > 0);
  CHECK (symlink ("file0", link) == 0 && mkfifo (fifo, 0600) == 0);
  entries += 2;
  int fd_before = fds_open ();

  /* A dry run lists the same and removes nothing. */
  int rm = ioaio_rm_new (c.ctx, IOAIO_RM_DRY_RUN | IOAIO_RM_LINES, 0, 0);
  CHECK (rm > 0);
  CHECK_EQ (ioaio_rm_push (c.ctx, rm, 0, root), 0);
  struct totals dry = { { 0 } };
  run_rm (&c, rm, 4, &dry);
  CHECK_EQ (ioaio_rm_free (c.ctx, rm), 0);
  CHECK_EQ (dry.removed_recs, entries);
  struct stat st;
  CHECK (lstat (fifo, &st) == 0);

  rm = ioaio_rm_new (c.ctx, IOAIO_RM_LINES, 0, 0);
  CHECK (rm > 0);
  CHECK_EQ (ioaio_rm_push (c.ctx, rm, 0, root), 0);
  struct totals t = { { 0 } };
  run_rm (&c, rm, 4, &t);
  CHECK_EQ (t.count[IOAIO_RM_DIRS], 40);
  CHECK_EQ (t.count[IOAIO_RM_FILES], 80);
  CHECK_EQ (t.count[IOAIO_RM_SYMLINKS], 1);
  CHECK_EQ (t.count[IOAIO_RM_OTHERS], 1);
  CHECK_EQ (t.count[IOAIO_RM_ERRORS] + t.error_recs, 0);
  CHECK_EQ (t.removed_recs, entries);
  CHECK (lstat (root, &st) < 0 && errno == ENOENT);
  /* Each directory's record comes after its contents', the root's last. */
  char *d0;
  CHECK (asprintf (&d0, "%s/d0\n", root) > 0);
  char *file_in_d0;
  CHECK (asprintf (&file_in_d0, "%s/d0/file0\n", root) > 0);
  CHECK (strstr (t.text, file_in_d0) < strstr (t.text, d0));
  size_t rl = strlen (root);
  CHECK (t.text_len > rl + 1 && memcmp (t.text + t.text_len - rl - 1, root, rl) == 0);
  CHECK_EQ (ioaio_rm_free (c.ctx, rm), 0);
  CHECK_EQ (fds_open (), fd_before);

  free (dry.text);
  free (t.text);
  free (d0);
  free (file_in_d0);
  free (link);
  free (fifo);
  free (root);
  client_free (&c);
}

static void
rm_globs_stop_and_errors (void)
{
  struct client c;
  client_init (&c);
  char *root = make_tmpdir ();
  make_rm_tree (root, 2, 2);
  int fd_before = fds_open ();

  /* Keep every file1 (by name) and d1/d0 (by path): they and their directories stay. */
  static const char globs[] = "nfile1\0pd1/d0\0";
  int rm = ioaio_rm_new (c.ctx, 0, globs, sizeof globs - 1);
  CHECK (rm > 0);
  CHECK_EQ (ioaio_rm_push (c.ctx, rm, 0, root), 0);
  struct totals t = { { 0 } };
  run_rm (&c, rm, 2, &t);
  CHECK_EQ (t.error_recs, 0);
  CHECK_EQ (t.count[IOAIO_RM_KEPT], 7); /* file1 in the 6 directories entered, and d1/d0 (kept whole, not entered) */
  char *p;
  struct stat st;
  CHECK (asprintf (&p, "%s/d1/d0/file0", root) > 0);
  CHECK (lstat (p, &st) == 0);
  free (p);
  CHECK (asprintf (&p, "%s/d0/d1/file0", root) > 0);
  CHECK (lstat (p, &st) < 0 && errno == ENOENT);
  free (p);
  CHECK_EQ (ioaio_rm_free (c.ctx, rm), 0);

  /* Stopped before a step: nothing more goes, and free closes what is open. */
  rm = ioaio_rm_new (c.ctx, 0, 0, 0);
  CHECK (rm > 0);
  CHECK_EQ (ioaio_rm_push (c.ctx, rm, 0, root), 0);
  CHECK_EQ (ioaio_rm_stop (c.ctx, rm), 0);
  int s = ioaio_req_fd (c.ctx, IOAIO_RMSTEP, 0, rm, 1 << 20, 20000, 0);
  CHECK (s >= 0);
  client_forget (&c);
  client_wait (&c, 1);
  CHECK_EQ (rec_of (&c, s)->err, 0);
  CHECK (lstat (root, &st) == 0);
  CHECK_EQ (ioaio_rm_free (c.ctx, rm), 0);
  CHECK_EQ (fds_open (), fd_before);

  /* A root that is not a directory (file1 was kept above). */
  CHECK (asprintf (&p, "%s/file1", root) > 0);
  rm = ioaio_rm_new (c.ctx, 0, 0, 0);
  CHECK_EQ (ioaio_rm_push (c.ctx, rm, 0, p), 0);
  struct totals e = { { 0 } };
  run_rm (&c, rm, 1, &e);
  CHECK_EQ (ioaio_rm_free (c.ctx, rm), 0);
  /* O_NOFOLLOW|O_DIRECTORY on a file fails ENOTDIR: it is removed as the non-directory it is */
  CHECK_EQ (e.count[IOAIO_RM_FILES], 1);
  CHECK_EQ (e.error_recs, 0);
  CHECK (lstat (p, &st) < 0 && errno == ENOENT);
  free (p);

  /* Bad arguments. */
  CHECK_EQ (ioaio_rm_new (c.ctx, 64, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_rm_new (c.ctx, 0, "xbad", 5), -EINVAL);
  CHECK_EQ (ioaio_rm_new (c.ctx, 0, "nunterminated", 13), -EINVAL);
  CHECK_EQ (ioaio_rm_new (c.ctx, 0, "n\0", 2), -EINVAL);
  CHECK_EQ (ioaio_rm_push (c.ctx, 12345, 0, root), -EINVAL);
  CHECK_EQ (ioaio_req_fd (c.ctx, IOAIO_RMSTEP, 0, 12345, 1, 1, 0), -EINVAL);

  /* The glob matcher on its own. */
  CHECK_EQ (ioaio_glob_match ("*.log", 5, "a.log", 5), 1);
  CHECK_EQ (ioaio_glob_match ("*.log", 5, "d/a.log", 7), 0);
  CHECK_EQ (ioaio_glob_match ("**/x", 4, "a/b/x", 5), 1);
  CHECK_EQ (ioaio_glob_match ("[!a]?", 5, "ba", 2), 1);
  CHECK_EQ (ioaio_glob_match ("[!a]?", 5, "ab", 2), 0);
  CHECK_EQ (ioaio_glob_match ("", 0, "", 0), 1);

  remove_tree (root);
  free (root);
  client_free (&c);
}

static const struct test tests[] = {
  { "rm_whole_tree", rm_whole_tree },
  { "rm_globs_stop_and_errors", rm_globs_stop_and_errors },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
