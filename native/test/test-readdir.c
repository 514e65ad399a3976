/* Payloads: readdir (inline and detached through ioaio_take), load, readlink. */
#include <dirent.h>
#include <sys/stat.h>
#include "harness.h"

struct dent {
  double ino;
  uint32_t name_off;
  uint16_t name_len;
  uint8_t type, zero;
};

/* Parses a readdir payload; returns the number of entries and checks each
 * against lstat(2) of dir/name. seen[i] is set for a name "f<i>". */
static uint32_t
check_readdir_payload (const uint8_t *p, size_t plen, const char *dir, uint8_t *seen, uint32_t nseen)
{
  uint32_t head[4];
  CHECK (plen >= 16);
  memcpy (head, p, 16);
  uint32_t count = head[0], names_bytes = head[1];
  CHECK_EQ (head[3], 0);
  CHECK (16 + (size_t)count * sizeof (struct dent) + names_bytes <= plen);
  CHECK (plen - (16 + (size_t)count * sizeof (struct dent) + names_bytes) < 8); /* only padding */
  const char *names = (const char *)p + 16 + count * sizeof (struct dent);
  for (uint32_t i = 0; i < count; ++i)
    {
      struct dent d;
      memcpy (&d, p + 16 + i * sizeof d, sizeof d);
      CHECK (d.name_off + d.name_len < names_bytes);
      const char *name = names + d.name_off;
      CHECK_EQ (strlen (name), d.name_len);
      CHECK (strcmp (name, ".") && strcmp (name, ".."));
      char *path;
      struct stat st;
      CHECK (asprintf (&path, "%s/%s", dir, name) > 0);
      CHECK (lstat (path, &st) == 0);
      CHECK_EQ (d.ino, st.st_ino);
      if (S_ISDIR (st.st_mode))
        CHECK_EQ (d.type, 4 /* EIO_DT_DIR */);
      else if (S_ISREG (st.st_mode))
        CHECK_EQ (d.type, 8 /* EIO_DT_REG */);
      unsigned k;
      if (seen && sscanf (name, "f%u", &k) == 1 && k < nseen)
        {
          CHECK (!seen[k]);
          seen[k] = 1;
        }
      free (path);
    }
  return count;
}

static void
readdir_small (void)
{
  struct client c;
  char *dir = make_tmpdir (), *p;
  client_init (&c);
  uint8_t seen[3] = { 0 };
  for (int i = 0; i < 3; ++i)
    {
      CHECK (asprintf (&p, "%s/f%d", dir, i) > 0);
      write_file (p, "x", 1);
      free (p);
    }
  CHECK (asprintf (&p, "%s/sub", dir) > 0);
  CHECK (mkdir (p, 0755) == 0);
  free (p);

  int s = ioaio_req_path (c.ctx, IOAIO_READDIR, 0, 0, dir, 0, 0);
  int m = ioaio_req_path (c.ctx, IOAIO_READDIR, 0, 0, "/nonexistent/ioaio", 0, 0);
  CHECK (s >= 0 && m >= 0);
  client_wait (&c, 2);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->kind, IOAIO_READDIR);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->result, 4);
  CHECK_EQ (r->rflags, 0);
  CHECK_EQ (check_readdir_payload (r->payload, r->plen, dir, seen, 3), 4);
  CHECK (seen[0] && seen[1] && seen[2]);
  CHECK_EQ (rec_of (&c, m)->err, ENOENT);
  CHECK_EQ (rec_of (&c, m)->len, IOAIO_REC_HEADER);

  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* 5000 entries: more than IOAIO_INLINE_MAX, so the payload is detached. */
static void
readdir_detached (void)
{
  enum { N = 5000 };
  struct client c;
  char *dir = make_tmpdir (), *p;
  uint8_t *seen = calloc (N, 1);
  client_init (&c);
  for (int i = 0; i < N; ++i)
    {
      CHECK (asprintf (&p, "%s/f%d", dir, i) > 0);
      write_file (p, "", 0);
      free (p);
    }
  int s = ioaio_req_path (c.ctx, IOAIO_READDIR, 0, 0, dir, 0, 0);
  CHECK (s >= 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->result, N);
  CHECK (r->rflags & IOAIO_R_DETACHED);
  CHECK_EQ (r->len, IOAIO_REC_HEADER + 8);
  double bytes;
  memcpy (&bytes, r->payload, 8);
  CHECK (bytes > IOAIO_INLINE_MAX);
  /* a detached request cannot be cancelled any more */
  CHECK_EQ (ioaio_cancel (c.ctx, s), -ENOENT);

  uint8_t *blob = malloc ((size_t)bytes);
  CHECK_EQ (ioaio_take (c.ctx, s, blob, (int64_t)bytes - 1), -ENOBUFS);
  CHECK_EQ (ioaio_take (c.ctx, s, 0, (int64_t)bytes), -ENOBUFS);
  CHECK_EQ (ioaio_take (c.ctx, s, blob, (int64_t)bytes), (int64_t)bytes);
  CHECK_EQ (ioaio_take (c.ctx, s, blob, (int64_t)bytes), -ENOENT);
  CHECK_EQ (check_readdir_payload (blob, (size_t)bytes, dir, seen, N), N);
  for (int i = 0; i < N; ++i)
    CHECK (seen[i]);

  free (blob);
  free (seen);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static void
load_inline_and_detached (void)
{
  struct client c;
  char *dir = make_tmpdir (), *small, *big;
  client_init (&c);
  const size_t BIG = 200000;
  uint8_t *data = malloc (BIG);
  for (size_t i = 0; i < BIG; ++i)
    data[i] = (uint8_t)(i * 7 + 3);
  CHECK (asprintf (&small, "%s/small", dir) > 0);
  CHECK (asprintf (&big, "%s/big", dir) > 0);
  write_file (small, "abc", 3);
  write_file (big, data, BIG);

  int s = ioaio_req_path (c.ctx, IOAIO_LOAD, 0, 0, small, 0, 0);
  int b = ioaio_req_path (c.ctx, IOAIO_LOAD, 0, 0, big, 0, 0);
  CHECK (s >= 0 && b >= 0);
  client_wait (&c, 2);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->result, 3);
  CHECK_EQ (r->plen, 8); /* 3 bytes, padded to 8 */
  CHECK (!memcmp (r->payload, "abc", 3));
  CHECK (!memcmp (r->payload + 3, "\0\0\0\0\0", 5));

  r = rec_of (&c, b);
  CHECK_EQ (r->result, BIG);
  CHECK (r->rflags & IOAIO_R_DETACHED);
  double bytes;
  memcpy (&bytes, r->payload, 8);
  CHECK_EQ (bytes, BIG);
  uint8_t *out = malloc (BIG);
  CHECK_EQ (ioaio_take (c.ctx, b, out, BIG), BIG);
  CHECK (!memcmp (out, data, BIG));

  free (out);
  free (data);
  free (small);
  free (big);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static void
readlink_realpath (void)
{
  struct client c;
  char *dir = make_tmpdir (), *link, *real;
  client_init (&c);
  CHECK (asprintf (&link, "%s/l", dir) > 0);
  CHECK (symlink ("some/target", link) == 0);
  int s = ioaio_req_path (c.ctx, IOAIO_READLINK, 0, 0, link, 0, 0);
  int r = ioaio_req_path (c.ctx, IOAIO_REALPATH, 0, 0, dir, 0, 0);
  CHECK (s >= 0 && r >= 0);
  client_wait (&c, 2);
  CHECK_EQ (rec_of (&c, s)->result, 11);
  CHECK (!memcmp (rec_of (&c, s)->payload, "some/target", 11));
  real = realpath (dir, 0);
  CHECK_EQ (rec_of (&c, r)->result, strlen (real));
  CHECK (!memcmp (rec_of (&c, r)->payload, real, strlen (real)));
  free (real);
  free (link);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static const struct test tests[] = {
  { "readdir_small", readdir_small },
  { "readdir_detached", readdir_detached },
  { "load_inline_and_detached", load_inline_and_detached },
  { "readlink_realpath", readlink_realpath },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
