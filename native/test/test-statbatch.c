/* IOAIO_STATBATCH: many paths in one request, relative to shared directory handles. */
#include <sys/stat.h>
#include "harness.h"

#define REC (1 + IOAIO_STAT_FIELDS)

static void
statbatch_matches_lstat (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *paths[6];
  CHECK (asprintf (&paths[0], "%s/f0", dir) > 0);
  CHECK (asprintf (&paths[1], "%s/f1", dir) > 0);
  CHECK (asprintf (&paths[2], "%s/missing", dir) > 0);
  CHECK (asprintf (&paths[3], "/") > 0);
  CHECK (asprintf (&paths[4], "%s/", dir) > 0);
  CHECK (asprintf (&paths[5], "%s/f0/x", dir) > 0);
  write_file (paths[0], "a", 1);
  write_file (paths[1], "bb", 2);

  size_t len = 0;
  for (int i = 0; i < 6; ++i)
    len += strlen (paths[i]) + 1;
  char *buf = malloc (len), *o = buf;
  CHECK (buf);
  for (int i = 0; i < 6; ++i)
    o = stpcpy (o, paths[i]) + 1;

  int s = ioaio_req_statbatch (c.ctx, 0, 0, 0, buf, (int64_t)len, 6);
  CHECK (s >= 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->plen, 6 * REC * sizeof (double));
  int want_err[6] = { 0, 0, ENOENT, 0, 0, ENOTDIR };
  for (int i = 0; i < 6; ++i)
    {
      double f[REC];
      memcpy (f, r->payload + i * sizeof f, sizeof f);
      CHECK_EQ (f[0], want_err[i]);
      if (want_err[i])
        continue;
      struct stat st;
      CHECK (lstat (paths[i], &st) == 0);
      CHECK_EQ (f[1 + IOAIO_ST_INO], st.st_ino);
      CHECK_EQ (f[1 + IOAIO_ST_SIZE], st.st_size);
      CHECK_EQ (f[1 + IOAIO_ST_MODE], st.st_mode);
    }

  /* The same through a directory cache shared by two requests at once. */
  int dc = ioaio_dircache_new (c.ctx);
  CHECK (dc > 0);
  uint32_t first_len = r->plen;
  uint8_t *first = malloc (first_len);
  CHECK (first);
  memcpy (first, r->payload, first_len);
  client_forget (&c);
  int s1 = ioaio_req_statbatch (c.ctx, 0, 0, dc, buf, (int64_t)len, 6);
  int s2 = ioaio_req_statbatch (c.ctx, 0, 0, dc, buf, (int64_t)len, 6);
  CHECK (s1 >= 0 && s2 >= 0);
  CHECK_EQ (ioaio_dircache_free (c.ctx, dc), -EBUSY);
  client_wait (&c, 2);
  for (int k = 0; k < 2; ++k)
    {
      const struct rec *q = rec_of (&c, k ? s2 : s1);
      CHECK_EQ (q->plen, first_len);
      for (int i = 0; i < 6; ++i)
        {
          double a, b;
          memcpy (&a, q->payload + i * REC * sizeof (double) + sizeof (double) * (1 + IOAIO_ST_INO), sizeof a);
          memcpy (&b, first + i * REC * sizeof (double) + sizeof (double) * (1 + IOAIO_ST_INO), sizeof b);
          if (!want_err[i])
            CHECK_EQ (a, b);
        }
    }
  free (first);
  CHECK_EQ (ioaio_dircache_free (c.ctx, dc), 0);
  CHECK_EQ (ioaio_req_statbatch (c.ctx, 0, 0, dc, buf, (int64_t)len, 6), -EINVAL);

  /* Input that does not hold exactly count NUL-terminated paths is refused. */
  CHECK_EQ (ioaio_req_statbatch (c.ctx, 0, 0, 0, buf, (int64_t)len, 5), -EINVAL);
  CHECK_EQ (ioaio_req_statbatch (c.ctx, 0, 0, 0, buf, (int64_t)len - 1, 6), -EINVAL);
  /* Flags beyond IOAIO_SB_*, or --cached always and never at once. */
  CHECK_EQ (ioaio_req_statbatch (c.ctx, 0, 8, 0, buf, (int64_t)len, 6), -EINVAL);
  CHECK_EQ (ioaio_req_statbatch (c.ctx, 0, IOAIO_SB_CACHED_ALWAYS | IOAIO_SB_CACHED_NEVER, 0, buf, (int64_t)len, 6), -EINVAL);

  free (buf);
  for (int i = 0; i < 6; ++i)
    free (paths[i]);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* statfmt: lines built on the worker; failures by index; the dircache
 * opens nested directories through their cached ancestors. */
static void
statfmt_lines_and_nested_dirs (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *sub, *deep, *paths[4];
  CHECK (asprintf (&sub, "%s/a", dir) > 0);
  CHECK (asprintf (&deep, "%s/a/b", dir) > 0);
  CHECK (mkdir (sub, 0755) == 0 && mkdir (deep, 0755) == 0);
  CHECK (asprintf (&paths[0], "%s/a/f", dir) > 0);
  CHECK (asprintf (&paths[1], "%s/a/b/g", dir) > 0);
  CHECK (asprintf (&paths[2], "%s/a/b/missing", dir) > 0);
  CHECK (asprintf (&paths[3], "%s/a//b/g", dir) > 0);
  write_file (paths[0], "abc", 3);
  write_file (paths[1], "hello", 5);

  size_t len = 0;
  for (int i = 0; i < 4; ++i)
    len += strlen (paths[i]) + 1;
  char *buf = malloc (len), *o = buf;
  CHECK (buf);
  for (int i = 0; i < 4; ++i)
    o = stpcpy (o, paths[i]) + 1;
  /* "%s %n\n" */
  const unsigned char prog[] = { 's', IOAIO_FMT_LIT, 1, 0, ' ', 'n', IOAIO_FMT_LIT, 1, 0, '\n' };
  int dc = ioaio_dircache_new (c.ctx);
  CHECK (dc > 0);
  int s = ioaio_req_statfmt (c.ctx, 0, 0, dc, (void *)prog, sizeof prog, buf, (int64_t)len, 4);
  CHECK (s >= 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  struct ioaio_statfmt_head h;
  memcpy (&h, r->payload, sizeof h);
  CHECK_EQ (h.nerr, 1);
  CHECK_EQ (h.files, 3);
  CHECK_EQ (h.bytes, 13);
  uint32_t e[4];
  memcpy (e, r->payload + sizeof h, sizeof e);
  CHECK_EQ (e[0], 2);
  CHECK_EQ (e[1], ENOENT);
  CHECK_EQ (e[2], strlen (paths[2]));
  CHECK (!memcmp (r->payload + sizeof h + sizeof e, paths[2], e[2]));
  size_t elen = sizeof e + (e[2] + 3) / 4 * 4;
  char *want;
  CHECK (asprintf (&want, "3 %s\n5 %s\n5 %s\n", paths[0], paths[1], paths[3]) > 0);
  size_t tlen = (size_t)r->result - sizeof h - elen; /* plen is padded to 8 */
  CHECK_EQ (tlen, strlen (want));
  CHECK (!memcmp (r->payload + sizeof h + elen, want, tlen));
  client_forget (&c);
  CHECK_EQ (ioaio_dircache_free (c.ctx, dc), 0);

  /* The same paths as newline-terminated records, with an empty one and one
   * holding a NUL: those two fail as IOAIO_ERR_EMPTY / IOAIO_ERR_NUL. */
  size_t nlen = len + 1 + 4;
  char *nlbuf = malloc (nlen);
  CHECK (nlbuf);
  memcpy (nlbuf, buf, len);
  for (size_t i = 0; i < len; ++i)
    if (!nlbuf[i])
      nlbuf[i] = '\n';
  memcpy (nlbuf + len, "\na\0b\n", 5);
  s = ioaio_req_statfmt (c.ctx, 0, IOAIO_SB_SEP_NL, 0, (void *)prog, sizeof prog, nlbuf, (int64_t)nlen, 6);
  CHECK (s >= 0);
  client_wait (&c, 1);
  r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  memcpy (&h, r->payload, sizeof h);
  CHECK_EQ (h.nerr, 3);
  const uint8_t *q = r->payload + sizeof h;
  memcpy (e, q, sizeof e);
  CHECK_EQ (e[1], ENOENT);
  q += sizeof e + (e[2] + 3) / 4 * 4;
  memcpy (e, q, sizeof e);
  CHECK (e[0] == 4 && e[1] == IOAIO_ERR_EMPTY && e[2] == 0);
  q += sizeof e;
  memcpy (e, q, sizeof e);
  CHECK (e[0] == 5 && e[1] == IOAIO_ERR_NUL && e[2] == 3);
  q += sizeof e + 4;
  CHECK_EQ ((size_t)r->result - (size_t)(q - r->payload), strlen (want));
  CHECK (!memcmp (q, want, strlen (want)));
  /* A record without its newline is refused. */
  CHECK_EQ (ioaio_req_statfmt (c.ctx, 0, IOAIO_SB_SEP_NL, 0, (void *)prog, sizeof prog, nlbuf, (int64_t)nlen - 1, 6), -EINVAL);
  free (nlbuf);
  free (want);
  client_forget (&c);

  /* A malformed program is refused at submit. */
  const unsigned char bad[] = { IOAIO_FMT_LIT, 9, 0, 'x' };
  CHECK_EQ (ioaio_req_statfmt (c.ctx, 0, 0, 0, (void *)bad, sizeof bad, buf, (int64_t)len, 4), -EINVAL);
  const unsigned char unknown[] = { 'q' };
  CHECK_EQ (ioaio_req_statfmt (c.ctx, 0, 0, 0, (void *)unknown, sizeof unknown, buf, (int64_t)len, 4), -EINVAL);

  free (buf);
  for (int i = 0; i < 4; ++i)
    free (paths[i]);
  free (sub);
  free (deep);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static const struct test tests[] = {
  { "statfmt_lines_and_nested_dirs", statfmt_lines_and_nested_dirs },
  { "statbatch_matches_lstat", statbatch_matches_lstat },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
