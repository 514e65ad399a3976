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

  int s = ioaio_req_buf (c.ctx, IOAIO_STATBATCH, 0, 0, buf, (int64_t)len, 6);
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

  /* Input that does not hold exactly count NUL-terminated paths is refused. */
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_STATBATCH, 0, 0, buf, (int64_t)len, 5), -EINVAL);
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_STATBATCH, 0, 0, buf, (int64_t)len - 1, 6), -EINVAL);
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_STATBATCH, 0, 2, buf, (int64_t)len, 6), -EINVAL);

  free (buf);
  for (int i = 0; i < 6; ++i)
    free (paths[i]);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static const struct test tests[] = {
  { "statbatch_matches_lstat", statbatch_matches_lstat },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
