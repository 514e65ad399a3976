/* IOAIO_COPYFILE: one entry copied whole under a temporary name. */
#include <dirent.h>
#include <sys/stat.h>
#include "harness.h"

static int
copyfile (struct client *c, const char *src, const char *dst, int flags)
{
  client_forget (c);
  int s = ioaio_req_path2 (c->ctx, IOAIO_COPYFILE, 0, 0, src, 0, dst, flags);
  CHECK (s >= 0);
  client_wait (c, 1);
  return s;
}

/* No name in dir starts with the temporary prefix. */
static void
check_no_temps (const char *dir)
{
  DIR *d = opendir (dir);
  CHECK (d);
  for (struct dirent *e; (e = readdir (d));)
    CHECK (strncmp (e->d_name, IOAIO_CF_TEMP_PREFIX, strlen (IOAIO_CF_TEMP_PREFIX)) != 0);
  closedir (d);
}

static char *
path_in (const char *dir, const char *name)
{
  char *p;
  CHECK (asprintf (&p, "%s/%s", dir, name) > 0);
  return p;
}

static void
regular_with_metadata (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *src = path_in (dir, "src"), *dst = path_in (dir, "dst");
  char data[5000];
  for (size_t i = 0; i < sizeof data; ++i)
    data[i] = (char)(i * 7);
  write_file (src, data, sizeof data);
  CHECK (chmod (src, 0640) == 0);
  struct timespec ts[2] = { { 1000000000, 123456789 }, { 1200000000, 987654321 } };
  CHECK (utimensat (AT_FDCWD, src, ts, 0) == 0);

  int s = copyfile (&c, src, dst, IOAIO_CF_REFLINK_AUTO | IOAIO_CF_XATTRS);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->result, IOAIO_CF_COPIED);
  CHECK_EQ (stat_field (r, IOAIO_ST_SIZE), sizeof data);

  struct stat st;
  CHECK (stat (dst, &st) == 0);
  CHECK_EQ (st.st_mode & 07777, 0640);
  CHECK_EQ (st.st_size, sizeof data);
  CHECK_EQ (st.st_mtim.tv_sec, 1200000000);
  CHECK_EQ (st.st_mtim.tv_nsec, 987654321);
  CHECK_EQ (st.st_atim.tv_nsec, 123456789);
  char back[sizeof data];
  int fd = open (dst, O_RDONLY);
  CHECK (fd >= 0);
  CHECK_EQ (read (fd, back, sizeof back), sizeof back);
  close (fd);
  CHECK (!memcmp (back, data, sizeof data));
  check_no_temps (dir);

  /* update: same size and mtime -> skipped; a changed mtime -> copied */
  s = copyfile (&c, src, dst, IOAIO_CF_UPDATE);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_SKIPPED);
  ts[1].tv_nsec = 1;
  CHECK (utimensat (AT_FDCWD, src, ts, 0) == 0);
  s = copyfile (&c, src, dst, IOAIO_CF_UPDATE | IOAIO_CF_DRY_RUN);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_COPIED);
  CHECK (stat (dst, &st) == 0);
  CHECK_EQ (st.st_mtim.tv_nsec, 987654321); /* the dry run wrote nothing */
  /* checksum: same bytes -> skipped, but the times are brought over */
  s = copyfile (&c, src, dst, IOAIO_CF_CHECKSUM);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_SKIPPED);
  CHECK (stat (dst, &st) == 0);
  CHECK_EQ (st.st_mtim.tv_nsec, 1);

  free (src);
  free (dst);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static void
sparse_and_special (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *src = path_in (dir, "sparse"), *dst = path_in (dir, "sparse.copy");
  int fd = open (src, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK (fd >= 0);
  CHECK_EQ (pwrite (fd, "x", 1, 8 << 20), 1);
  CHECK (ftruncate (fd, 16 << 20) == 0);
  close (fd);
  int s = copyfile (&c, src, dst, IOAIO_CF_REFLINK_NEVER);
  CHECK_EQ (rec_of (&c, s)->err, 0);
  struct stat a, b;
  CHECK (stat (src, &a) == 0 && stat (dst, &b) == 0);
  CHECK_EQ (b.st_size, 16 << 20);
  CHECK (b.st_blocks <= a.st_blocks); /* the holes stayed holes */

  char *ln = path_in (dir, "ln"), *lncopy = path_in (dir, "ln.copy");
  CHECK (symlink ("some/target", ln) == 0);
  s = copyfile (&c, ln, lncopy, 0);
  CHECK_EQ (rec_of (&c, s)->err, 0);
  char t[64] = { 0 };
  CHECK_EQ (readlink (lncopy, t, sizeof t - 1), 11);
  CHECK (!strcmp (t, "some/target"));

  char *ff = path_in (dir, "fifo"), *ffcopy = path_in (dir, "fifo.copy");
  CHECK (mkfifo (ff, 0600) == 0 && chmod (ff, 0620) == 0);
  s = copyfile (&c, ff, ffcopy, 0);
  CHECK_EQ (rec_of (&c, s)->err, 0);
  CHECK (lstat (ffcopy, &b) == 0);
  CHECK (S_ISFIFO (b.st_mode));
  CHECK_EQ (b.st_mode & 07777, 0620);

  /* hard-link candidates are only reported */
  char *hl = path_in (dir, "hl");
  CHECK (link (src, hl) == 0);
  char *hlcopy = path_in (dir, "hl.copy");
  s = copyfile (&c, hl, hlcopy, IOAIO_CF_LINKS);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_HARDLINK);
  CHECK (lstat (hlcopy, &b) < 0 && errno == ENOENT);

  /* a directory is refused unless its metadata is asked for */
  s = copyfile (&c, dir, hlcopy, 0);
  CHECK_EQ (rec_of (&c, s)->err, EISDIR);
  check_no_temps (dir);

  free (src); free (dst); free (ln); free (lncopy); free (ff); free (ffcopy); free (hl); free (hlcopy);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* A failure after the temporary was made removes it; dst is untouched. */
static void
failure_leaves_nothing (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *src = path_in (dir, "src"), *sub = path_in (dir, "sub"), *dst = path_in (dir, "sub/dst");
  write_file (src, "abc", 3);
  CHECK (mkdir (sub, 0755) == 0);
  /* dst is a non-empty directory: the rename onto it fails */
  CHECK (mkdir (dst, 0755) == 0);
  char *inner = path_in (dst, "x");
  write_file (inner, "1", 1);
  int s = copyfile (&c, src, dst, 0);
  CHECK (rec_of (&c, s)->result < 0);
  CHECK (rec_of (&c, s)->err == EISDIR || rec_of (&c, s)->err == ENOTEMPTY || rec_of (&c, s)->err == EEXIST);
  check_no_temps (sub);

  /* a missing source */
  char *none = path_in (dir, "none");
  s = copyfile (&c, none, src, 0);
  CHECK_EQ (rec_of (&c, s)->err, ENOENT);
  free (src); free (sub); free (dst); free (inner); free (none);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* copyfiles: many names in one request, each with its own outcome. */
static void
batch (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *src = path_in (dir, "src"), *dst = path_in (dir, "dst");
  CHECK (mkdir (src, 0755) == 0 && mkdir (dst, 0755) == 0);
  char *a = path_in (src, "a"), *b = path_in (src, "b"), *sub = path_in (src, "sub");
  write_file (a, "aaa", 3);
  write_file (b, "bbbbb", 5);
  CHECK (mkdir (sub, 0755) == 0);

  int sw = ioaio_req_path (c.ctx, IOAIO_WD_OPEN, 0, 0, src, 1, 0);
  int dw = ioaio_req_path (c.ctx, IOAIO_WD_OPEN, 0, 0, dst, 1, 0);
  client_wait (&c, 2);
  int swd = (int)rec_of (&c, sw)->result, dwd = (int)rec_of (&c, dw)->result;
  CHECK (swd > 0 && dwd > 0);

  static const char names[] = "a\0missing\0sub\0b";
  client_forget (&c);
  CHECK_EQ (ioaio_req_copyfiles (c.ctx, 0, swd, dwd, names, sizeof names - 1, 0), -EINVAL); /* last name not ended */
  int s = ioaio_req_copyfiles (c.ctx, 0, swd, dwd, names, sizeof names, 0);
  CHECK (s >= 0);
  client_wait (&c, 1);
  const struct rec *r = rec_of (&c, s);
  CHECK_EQ (r->err, 0);
  CHECK_EQ (r->plen, 4 * IOAIO_CF_RECORD_FIELDS * sizeof (double));
  double f[4 * IOAIO_CF_RECORD_FIELDS];
  memcpy (f, r->payload, sizeof f);
  CHECK_EQ (f[0], IOAIO_CF_COPIED);
  CHECK_EQ (f[2], 3);                                  /* a's size */
  CHECK_EQ (f[IOAIO_CF_RECORD_FIELDS], -ENOENT);       /* missing */
  CHECK_EQ (f[2 * IOAIO_CF_RECORD_FIELDS], -EISDIR);   /* a directory is the caller's */
  CHECK_EQ (f[3 * IOAIO_CF_RECORD_FIELDS], IOAIO_CF_COPIED);
  CHECK_EQ (f[3 * IOAIO_CF_RECORD_FIELDS + 2], 5);
  struct stat st;
  char *da = path_in (dst, "a"), *db = path_in (dst, "b");
  CHECK (stat (da, &st) == 0 && st.st_size == 3);
  CHECK (stat (db, &st) == 0 && st.st_size == 5);
  check_no_temps (dst);

  free (src); free (dst); free (a); free (b); free (sub); free (da); free (db);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

/* IOAIO_CF_REGULAR is only a hint: a symlink, a fifo or a missing name
 * given with it is still handled right (and a fifo never blocks the open). */
static void
regular_hint (void)
{
  struct client c;
  client_init (&c);
  char *dir = make_tmpdir ();
  char *f = path_in (dir, "f"), *l = path_in (dir, "l"), *p = path_in (dir, "p");
  char *fc = path_in (dir, "f.copy"), *lc = path_in (dir, "l.copy"), *pc = path_in (dir, "p.copy"), *none = path_in (dir, "none");
  write_file (f, "data", 4);
  CHECK (symlink ("f", l) == 0);
  CHECK (mkfifo (p, 0600) == 0);
  struct stat st;
  int s = copyfile (&c, f, fc, IOAIO_CF_REGULAR);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_COPIED);
  CHECK (lstat (fc, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 4);
  s = copyfile (&c, l, lc, IOAIO_CF_REGULAR);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_COPIED);
  CHECK (lstat (lc, &st) == 0 && S_ISLNK (st.st_mode));
  s = copyfile (&c, p, pc, IOAIO_CF_REGULAR);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_COPIED);
  CHECK (lstat (pc, &st) == 0 && S_ISFIFO (st.st_mode));
  s = copyfile (&c, none, pc, IOAIO_CF_REGULAR);
  CHECK_EQ (rec_of (&c, s)->err, ENOENT);
  s = copyfile (&c, f, fc, IOAIO_CF_REGULAR | IOAIO_CF_UPDATE);
  CHECK_EQ (rec_of (&c, s)->result, IOAIO_CF_SKIPPED);
  check_no_temps (dir);
  free (f); free (l); free (p); free (fc); free (lc); free (pc); free (none);
  remove_tree (dir);
  free (dir);
  client_free (&c);
}

static const struct test tests[] = {
  { "regular_hint", regular_hint },
  { "batch", batch },
  { "regular_with_metadata", regular_with_metadata },
  { "sparse_and_special", sparse_and_special },
  { "failure_leaves_nothing", failure_leaves_nothing },
  { 0, 0 },
};

int
main (int argc, char **argv)
{
  return harness_main (argc, argv, tests);
}
