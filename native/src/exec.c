/* Requests of our own, executed on libeio's worker threads (EIO_CUSTOM).
 * Each sets req->result and errno; libeio copies errno into req->errorno. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "internal.h"

/* ---- stat, lstat, fstat: statx, for nanosecond times and birth time ---- */

/* ino and size as exact 32-bit halves (IOAIO_ST_*_HI/LO) */
static void
exact_halves (double *f, uint64_t ino, uint64_t size)
{
  f[IOAIO_ST_INO_HI] = (double)(ino >> 32);
  f[IOAIO_ST_INO_LO] = (double)(ino & 0xffffffffu);
  f[IOAIO_ST_SIZE_HI] = (double)(size >> 32);
  f[IOAIO_ST_SIZE_LO] = (double)(size & 0xffffffffu);
}

static void
fill_from_statx (double *f, const struct statx *s)
{
  f[IOAIO_ST_DEV] = (double)makedev (s->stx_dev_major, s->stx_dev_minor);
  f[IOAIO_ST_INO] = (double)s->stx_ino;
  f[IOAIO_ST_MODE] = s->stx_mode;
  f[IOAIO_ST_NLINK] = s->stx_nlink;
  f[IOAIO_ST_UID] = s->stx_uid;
  f[IOAIO_ST_GID] = s->stx_gid;
  f[IOAIO_ST_RDEV] = (double)makedev (s->stx_rdev_major, s->stx_rdev_minor);
  f[IOAIO_ST_SIZE] = (double)s->stx_size;
  f[IOAIO_ST_BLKSIZE] = s->stx_blksize;
  f[IOAIO_ST_BLOCKS] = (double)s->stx_blocks;
  f[IOAIO_ST_ATIME] = (double)s->stx_atime.tv_sec;
  f[IOAIO_ST_ATIME_NS] = s->stx_atime.tv_nsec;
  f[IOAIO_ST_MTIME] = (double)s->stx_mtime.tv_sec;
  f[IOAIO_ST_MTIME_NS] = s->stx_mtime.tv_nsec;
  f[IOAIO_ST_CTIME] = (double)s->stx_ctime.tv_sec;
  f[IOAIO_ST_CTIME_NS] = s->stx_ctime.tv_nsec;
  if (s->stx_mask & STATX_BTIME)
    {
      f[IOAIO_ST_BTIME] = (double)s->stx_btime.tv_sec;
      f[IOAIO_ST_BTIME_NS] = s->stx_btime.tv_nsec;
    }
  else
    f[IOAIO_ST_BTIME] = f[IOAIO_ST_BTIME_NS] = -1;
  exact_halves (f, s->stx_ino, s->stx_size);
}

void
ioaio__fill_stat (double *f, const struct stat *s)
{
  f[IOAIO_ST_DEV] = (double)s->st_dev;
  f[IOAIO_ST_INO] = (double)s->st_ino;
  f[IOAIO_ST_MODE] = s->st_mode;
  f[IOAIO_ST_NLINK] = (double)s->st_nlink;
  f[IOAIO_ST_UID] = s->st_uid;
  f[IOAIO_ST_GID] = s->st_gid;
  f[IOAIO_ST_RDEV] = (double)s->st_rdev;
  f[IOAIO_ST_SIZE] = (double)s->st_size;
  f[IOAIO_ST_BLKSIZE] = (double)s->st_blksize;
  f[IOAIO_ST_BLOCKS] = (double)s->st_blocks;
  f[IOAIO_ST_ATIME] = (double)s->st_atim.tv_sec;
  f[IOAIO_ST_ATIME_NS] = (double)s->st_atim.tv_nsec;
  f[IOAIO_ST_MTIME] = (double)s->st_mtim.tv_sec;
  f[IOAIO_ST_MTIME_NS] = (double)s->st_mtim.tv_nsec;
  f[IOAIO_ST_CTIME] = (double)s->st_ctim.tv_sec;
  f[IOAIO_ST_CTIME_NS] = (double)s->st_ctim.tv_nsec;
  f[IOAIO_ST_BTIME] = f[IOAIO_ST_BTIME_NS] = -1;
  exact_halves (f, (uint64_t)s->st_ino, (uint64_t)s->st_size);
}

/* statx (dirfd, path, flags) into f[IOAIO_STAT_FIELDS]; 0 or -1 with errno. */
int
ioaio__statx_fill (int dirfd, const char *path, int flags, double *f)
{
  struct statx sx;

  if (statx (dirfd, path, flags | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_BTIME, &sx) == 0)
    {
      fill_from_statx (f, &sx);
      return 0;
    }
  if (errno != ENOSYS && errno != EPERM)
    return -1;
  /* Kernels before 4.11, or seccomp filters that refuse statx. */
  struct stat st;
  if (fstatat (dirfd, path, &st, flags & ~AT_STATX_SYNC_TYPE) < 0)
    return -1;
  ioaio__fill_stat (f, &st);
  return 0;
}

void
ioaio__exec_stat (eio_req *req)
{
  int dirfd = req->kind == IOAIO_FSTAT ? req->int1 : ioaio__wd_fd (req->wd);
  const char *path = req->kind == IOAIO_FSTAT ? "" : req->ptr1;
  int flags = (req->kind == IOAIO_LSTAT ? AT_SYMLINK_NOFOLLOW : 0) | (req->kind == IOAIO_FSTAT ? AT_EMPTY_PATH : 0);

  req->result = ioaio__statx_fill (dirfd, path, flags, req->st);
}

/* ---- utime, futime: utimensat with exact timespecs ---- */

/* libeio's utime takes doubles, which cannot carry nanoseconds and mangle
 * negative fractions; ours gets seconds and nanoseconds apart (and
 * UTIME_NOW / UTIME_OMIT in the nanoseconds, as utimensat(2) defines). */
void
ioaio__exec_utime (eio_req *req)
{
  struct timespec ts[2] = {
    { (time_t)req->offs, (long)req->int2 },
    { (time_t)req->int3, (long)req->nv1 },
  };
  req->result = req->kind == IOAIO_FUTIME
                ? futimens (req->int1, ts)
                : utimensat (ioaio__wd_fd (req->wd), req->ptr1, ts, 0);
}

/* ---- a directory handle without realpath (wd_open with a = 1) ---- */

/* libeio's wd_open canonicalises the path first (a lookup and readlink per
 * component: round trips on NFS); this one is a single O_PATH openat. */
void
ioaio__exec_wd_plain (eio_req *req)
{
  int fd = openat (ioaio__wd_fd (req->wd), req->ptr1, O_PATH | O_DIRECTORY | O_CLOEXEC);
  req->result = -1;
  if (fd < 0)
    return;
  if (!(req->own_wd = ioaio__wd_from_fd (fd)))
    {
      close (fd);
      errno = ENOMEM;
      return;
    }
  req->result = 0;
}

/* ---- load: a whole file into memory (IO::AIO's aio_load) ---- */

void
ioaio__exec_load (eio_req *req)
{
  int fd = openat (ioaio__wd_fd (req->wd), req->ptr1, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  size_t cap, len = 0;
  char *buf = 0;

  req->result = -1;
  if (fd < 0)
    return;

  /* The size is only a hint: /proc files say 0, growing files say too little. */
  cap = fstat (fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
  for (;;)
    {
      if (len == cap || !buf)
        {
          size_t ncap = buf ? cap * 2 : cap;
          char *nbuf = realloc (buf, ncap);
          if (!nbuf)
            {
              errno = ENOMEM;
              goto fail;
            }
          buf = nbuf;
          cap = ncap;
        }
      ssize_t n = read (fd, buf + len, cap - len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          goto fail;
        }
      if (n == 0)
        break;
      len += (size_t)n;
    }

  close (fd);
  req->ptr2 = buf;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)len;
  return;

fail:
  {
    int e = errno;
    free (buf);
    close (fd);
    errno = e;
  }
}

/* ---- copy: one file, data and metadata (IO::AIO's aio_copy, in one request) ---- */

/* All of sfd into the empty dfd, on copyfile's ladder (copy_file_range,
 * sendfile, read/write). */
static int
copy_data (int sfd, int dfd)
{
  int method = IOAIO_COPY_CFR;
  char *buf = 0;
  int r = ioaio__copy_range (sfd, dfd, 0, -1, &method, &buf);
  int e = errno;
  free (buf);
  errno = e;
  return r;
}

void
ioaio__exec_copy (eio_req *req)
{
  int sdir = ioaio__wd_fd (req->wd), ddir = ioaio__wd_fd ((eio_wd)req->int3);
  int excl = req->int2 & IOAIO_COPY_EXCL;
  struct stat st;
  int e;

  req->result = -1;
  int sfd = openat (sdir, req->ptr1, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (sfd < 0)
    return;
  if (fstat (sfd, &st) < 0)
    goto close_src;
  if (!S_ISREG (st.st_mode))
    {
      errno = S_ISDIR (st.st_mode) ? EISDIR : EINVAL;
      goto close_src;
    }

  /* Created writable by us only, as IO::AIO does: nobody reads a half copy
   * through permissions it was not meant to have yet. */
  int dfd = openat (ddir, req->ptr2, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | (excl ? O_EXCL : 0), 0200);
  if (dfd < 0)
    goto close_src;

  /* Truncate only after making sure dst is not src under another name (the
   * same path, a hard link): O_TRUNC would have emptied the source. */
  struct stat dst;
  if (fstat (dfd, &dst) < 0)
    goto close_both;
  if (dst.st_dev == st.st_dev && dst.st_ino == st.st_ino)
    {
      errno = EINVAL; /* cp: "are the same file" */
      goto close_both;
    }
  if (ftruncate (dfd, 0) < 0)
    goto unlink_dst;

  if (copy_data (sfd, dfd) < 0)
    goto unlink_dst;

  /* Metadata errors are ignored (as IO::AIO and cp -a for non-root do). The
   * order matters: chown may clear set-id bits, so the mode comes after it,
   * and the times come last because nothing after them may touch the file. */
  if (fchown (dfd, st.st_uid, st.st_gid) < 0) { /* not permitted: keep ours */ }
  if (fchmod (dfd, st.st_mode & 07777) < 0) { /* e.g. a filesystem without modes */ }
  struct timespec ts[2] = { st.st_atim, st.st_mtim };
  if (futimens (dfd, ts) < 0) { /* best effort */ }

  /* close can report a deferred write error (NFS): then the copy failed. */
  if (close (dfd) < 0)
    {
      dfd = -1;
      goto unlink_dst;
    }
  close (sfd);
  req->result = 0;
  return;

close_both:
  e = errno;
  close (dfd);
  close (sfd);
  errno = e;
  return;

unlink_dst:
  e = errno;
  if (dfd >= 0)
    close (dfd);
  unlinkat (ddir, req->ptr2, 0);
  errno = e;
close_src:
  e = errno;
  close (sfd);
  errno = e;
}
