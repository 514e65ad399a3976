/* Basics of the C API: abi, nop, busy, stat, read/write, argument errors,
 * working directories. */
#include <sys/stat.h>
#include "harness.h"

static void
abi (void)
{
  CHECK_EQ (ioaio_abi_version (), IOAIO_ABI_VERSION);
  CHECK (!strcmp (ioaio_kind_name (IOAIO_NOP), "nop"));
  CHECK (!strcmp (ioaio_kind_name (IOAIO_STAT), "stat"));
  CHECK (!strcmp (ioaio_kind_name (IOAIO_SYNC_FILE_RANGE), "sync_file_range"));
  CHECK (!strcmp (ioaio_kind_name (IOAIO_COPY), "copy"));
  CHECK (ioaio_kind_name (IOAIO_KIND_COUNT) == 0);
  CHECK (ioaio_kind_name (-1) == 0);
  for (int k = 0; k < IOAIO_KIND_COUNT; ++k)
    CHECK (ioaio_kind_name (k) && *ioaio_kind_name (k));
}

static void
nop (void)
{
  struct client c;
  client_init (&c);
  int s = ioaio_req_misc (c.ctx, IOAIO_NOP, 0, 0);
  CHECK (s >= 0);
  CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 1);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->slot, s);
  CHECK_EQ (r->len, IOAIO_REC_HEADER);
  CHECK_EQ (r->result, 0);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->kind, IOAIO_NOP);
  CHECK_EQ (r->rflags, 0);
  CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 0);
  client_free (&c);
}

static void
busy (void)
{
  struct client c;
  client_init (&c);
  double t0 = now_s ();
  int s = ioaio_req_misc (c.ctx, IOAIO_BUSY, 0, 0.1);
  CHECK (s >= 0);
  client_wait (&c, 1);
  CHECK (now_s () - t0 >= 0.095);
  CHECK_EQ (rec_of (&c, s)->kind, IOAIO_BUSY);
  CHECK_EQ (rec_of (&c, s)->err, 0);
  client_free (&c);
}

static void
check_stat_matches (const struct rec *r, const struct stat *st)
{
  CHECK_EQ (r->plen, IOAIO_STAT_FIELDS * sizeof (double));
  CHECK_EQ (stat_field (r, IOAIO_ST_SIZE), st->st_size);
  CHECK_EQ (stat_field (r, IOAIO_ST_INO), st->st_ino);
  CHECK_EQ (stat_field (r, IOAIO_ST_DEV), st->st_dev);
  CHECK_EQ (stat_field (r, IOAIO_ST_MODE), st->st_mode);
  CHECK_EQ (stat_field (r, IOAIO_ST_NLINK), st->st_nlink);
  CHECK_EQ (stat_field (r, IOAIO_ST_UID), st->st_uid);
  CHECK_EQ (stat_field (r, IOAIO_ST_GID), st->st_gid);
  CHECK_EQ (stat_field (r, IOAIO_ST_BLOCKS), st->st_blocks);
  CHECK_EQ (stat_field (r, IOAIO_ST_MTIME), st->st_mtim.tv_sec);
  CHECK_EQ (stat_field (r, IOAIO_ST_MTIME_NS), st->st_mtim.tv_nsec);
  CHECK_EQ (stat_field (r, IOAIO_ST_CTIME_NS), st->st_ctim.tv_nsec);
}

static void
stat_passwd (void)
{
  struct client c;
  struct stat st;
  client_init (&c);
  CHECK (stat ("/etc/passwd", &st) == 0);
  int s = ioaio_req_path (c.ctx, IOAIO_STAT, 0, 0, "/etc/passwd", 0, 0);
  int m = ioaio_req_path (c.ctx, IOAIO_STAT, 0, 0, "/nonexistent/ioaio", 0, 0);
  int fd = open ("/etc/passwd", O_RDONLY | O_CLOEXEC);
  CHECK (fd >= 0);
  int f = ioaio_req_fd (c.ctx, IOAIO_FSTAT, 0, fd, 0, 0, 0);
  CHECK (s >= 0 && m >= 0 && f >= 0);
  client_wait (&c, 3);

  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->kind, IOAIO_STAT);
  CHECK_EQ (r->result, 0);
  CHECK_EQ (r->err, 0);
  check_stat_matches (r, &st);
  check_stat_matches (rec_of (&c, f), &st);

  r = rec_of (&c, m);
  CHECK_EQ (r->result, -1);
  CHECK_EQ (r->err, ENOENT);
  CHECK_EQ (r->len, IOAIO_REC_HEADER); /* no payload for a failure */
  close (fd);
  client_free (&c);
}

static void
read_write (void)
{
  struct client c;
  char *dir = make_tmpdir (), *path;
  client_init (&c);
  CHECK (asprintf (&path, "%s/data", dir) > 0);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  CHECK (fd >= 0);

  static const char text[] = "hello, libeio";
  int w = ioaio_req_buf (c.ctx, IOAIO_WRITE, 0, fd, (void *)text, sizeof text - 1, 0);
  CHECK (w >= 0);
  client_wait (&c, 1);
  CHECK_EQ (rec_of (&c, w)->result, sizeof text - 1);
  client_forget (&c);

  char buf[64] = { 0 };
  int r1 = ioaio_req_buf (c.ctx, IOAIO_READ, 0, fd, buf, sizeof buf, 7);
  CHECK (r1 >= 0);
  client_wait (&c, 1);
  CHECK_EQ (rec_of (&c, r1)->result, sizeof text - 1 - 7);
  CHECK_EQ (rec_of (&c, r1)->err, 0);
  CHECK (!memcmp (buf, "libeio", 6));
  client_forget (&c);

  int bad = ioaio_req_buf (c.ctx, IOAIO_READ, 0, 987654, buf, sizeof buf, 0);
  CHECK (bad >= 0);
  client_wait (&c, 1);
  CHECK_EQ (rec_of (&c, bad)->result, -1);
  CHECK_EQ (rec_of (&c, bad)->err, EBADF);

  close (fd);
  free (path);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static void
invalid_args (void)
{
  struct client c;
  char buf[8];
  client_init (&c);
  /* invalid working-directory ids */
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_STAT, 0, 12345, "x", 0, 0), -EBADF);
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_STAT, 0, -3, "x", 0, 0), -EBADF);
  CHECK_EQ (ioaio_req_path2 (c.ctx, IOAIO_RENAME, 0, 0, "a", 77, "b", 0), -EBADF);
  CHECK_EQ (ioaio_req_fd (c.ctx, IOAIO_WD_CLOSE, 0, 55, 0, 0, 0), -EBADF);
  CHECK_EQ (ioaio_req_fd (c.ctx, IOAIO_FSTAT, 0, -1, 0, 0, 0), -EBADF);
  /* kinds that do not belong to the entry point, or none at all */
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_NOP, 0, 0, "x", 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_KIND_COUNT, 0, 0, "x", 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_path (c.ctx, -1, 0, 0, "x", 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_path2 (c.ctx, IOAIO_STAT, 0, 0, "a", 0, "b", 0), -EINVAL);
  CHECK_EQ (ioaio_req_fd (c.ctx, IOAIO_STAT, 0, 0, 0, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_misc (c.ctx, IOAIO_STAT, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_misc (c.ctx, 999, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_STAT, 0, 0, buf, 1, 0), -EINVAL);
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_READ, 0, 0, buf, -1, 0), -EINVAL);
  CHECK_EQ (ioaio_req_buf (c.ctx, IOAIO_READ, 0, 0, 0, 1, 0), -EFAULT);
  CHECK_EQ (ioaio_req_time (c.ctx, IOAIO_NOP, 0, 0, "x", -1, 0, 0, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_time (c.ctx, IOAIO_UTIME, 0, 0, "x", -1, 0, 1000000000, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_req_time (c.ctx, IOAIO_UTIME, 0, 0, "x", -1, 0, 0, 0, -5), -EINVAL);
  CHECK_EQ (ioaio_req_time (c.ctx, IOAIO_UTIME, 0, 99, "x", -1, 0, 0, 0, 0), -EBADF);
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_STAT, 0, 0, 0, 0, 0), -EFAULT);
  CHECK_EQ (ioaio_req_misc (0, IOAIO_NOP, 0, 0), -EINVAL);
  CHECK_EQ (ioaio_cancel (c.ctx, 0), -ENOENT);
  CHECK_EQ (ioaio_cancel (c.ctx, -1), -ENOENT);
  CHECK_EQ (ioaio_take (c.ctx, 0, (uint8_t *)buf, sizeof buf), -ENOENT);
  CHECK_EQ (ioaio_poll (c.ctx, c.buf, 100), -ENOBUFS);
  CHECK_EQ (ioaio_ctx_free (0), -EINVAL);
  /* nothing was submitted by any of these */
  CHECK_EQ (ioaio_ctx_nreqs (c.ctx), 0);
  client_free (&c);
}

static void
working_dirs (void)
{
  struct client c;
  char *dir = make_tmpdir (), *path;
  client_init (&c);
  CHECK (asprintf (&path, "%s/f", dir) > 0);
  write_file (path, "12345", 5);

  int w = ioaio_req_path (c.ctx, IOAIO_WD_OPEN, 0, 0, dir, 0, 0);
  CHECK (w >= 0);
  client_wait (&c, 1);
  int wd = (int)rec_of (&c, w)->result;
  CHECK (wd >= 1);
  client_forget (&c);

  int s = ioaio_req_path (c.ctx, IOAIO_STAT, 0, wd, "f", 0, 0);
  int m = ioaio_req_path (c.ctx, IOAIO_STAT, 0, wd, "missing", 0, 0);
  CHECK (s >= 0 && m >= 0);
  client_wait (&c, 2);
  CHECK_EQ (stat_field (rec_of (&c, s), IOAIO_ST_SIZE), 5);
  CHECK_EQ (rec_of (&c, m)->err, ENOENT);
  client_forget (&c);

  int cl = ioaio_req_fd (c.ctx, IOAIO_WD_CLOSE, 0, wd, 0, 0, 0);
  CHECK (cl >= 0);
  /* the id is gone as soon as wd_close is submitted */
  CHECK_EQ (ioaio_req_path (c.ctx, IOAIO_STAT, 0, wd, "f", 0, 0), -EBADF);
  client_wait (&c, 1);
  CHECK_EQ (rec_of (&c, cl)->err, 0);
  client_forget (&c);

  /* a wd still open when the context is freed is closed by ioaio_ctx_free */
  w = ioaio_req_path (c.ctx, IOAIO_WD_OPEN, 0, 0, dir, 0, 0);
  client_wait (&c, 1);
  CHECK (rec_of (&c, w)->result >= 1);

  free (path);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static const struct test tests[] = {
  { "abi", abi },
  { "nop", nop },
  { "busy", busy },
  { "stat_passwd", stat_passwd },
  { "read_write", read_write },
  { "invalid_args", invalid_args },
  { "working_dirs", working_dirs },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
