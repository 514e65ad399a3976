/* copyfile: one tree entry copied whole in one request on a libeio thread
 * (the work unit of cptree and, later, mvtree).
 *
 * Perf: a file costs the host one submission and one completion record,
 * not a JS round trip per syscall (lstat, open, create, copy, chown, chmod,
 * xattrs, utimens, close, rename).
 *
 * Never a lie on disk: data and metadata go to a temporary name in the
 * destination directory (IOAIO_CF_TEMP_PREFIX + 16 hex digits, created
 * O_EXCL, mode 0600) and only a complete copy is renamed onto the final
 * name; every failure removes the temporary. Only a killed process leaves
 * one behind, which the next run recognises by its name. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "internal.h"

#define CHUNK (1 << 17)
/* prefix + 16 hex digits + NUL */
#define TEMP_LEN (sizeof IOAIO_CF_TEMP_PREFIX - 1 + 16 + 1)

/* The writer's pid (8 hex digits), then 8 of a per-thread sequence: a
 * stale-temporary sweep removes only the temporaries whose writer is gone,
 * so two runs into one destination leave each other's alone. Perf: one
 * getrandom and getpid per thread, then a counter (not a syscall per file); O_EXCL
 * catches the improbable collision with another run. */
static void
temp_name (char *out)
{
  static __thread uint64_t state;
  static __thread unsigned pid; /* a thread's own: a forked child starts its threads anew */
  if (!state)
    {
      pid = (unsigned)getpid ();
      if (getrandom (&state, sizeof state, GRND_NONBLOCK) != sizeof state || !state)
        state = ((uint64_t)pid << 32) ^ (uint64_t)(uintptr_t)&state ^ 0x9e3779b97f4a7c15ull;
    }
  /* splitmix64: consecutive names look unrelated */
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  snprintf (out, TEMP_LEN, IOAIO_CF_TEMP_PREFIX "%08x%08x", pid, (unsigned)z);
}

/* A temporary that vanished before its rename (ENOENT, and it is not
 * there): a sweep that could not see our pid (another host's, over NFS)
 * removed it. The copy is made again, a few times at most. */
#define TEMP_TRIES 3

static int
temp_vanished (int ddir, const char *tmp)
{
  struct stat t;
  return errno == ENOENT && fstatat (ddir, tmp, &t, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
}

/* Where the request is (IOAIO_CF_AT_*), set before each call that can
 * fail and read when one did: the error then names the side and the call.
 * Perf: a thread-local store, no syscall. */
static __thread int cf_at;
#define AT(stage) (cf_at = IOAIO_CF_AT_##stage)

/* copy_file_range and sendfile both read and write: these errnos are the
 * destination's, the rest the source's. */
static int
write_side_errno (int e)
{
  return e == ENOSPC || e == EDQUOT || e == EFBIG || e == EROFS;
}

/* Did the open file change while it was copied (size, mtime or ctime
 * other than st's)? Then the copy may mix two versions of it. 1 (and st
 * is what it is now), 0, or -1 with errno.
 * Perf: AT_STATX_DONT_SYNC answers from the attributes the kernel holds:
 * no round trip on NFS or FUSE, and on a local filesystem they are the
 * file's own. A change a writer on another NFS client made is therefore
 * not seen here (nor, until its attributes are refreshed, by anyone on
 * this host). */
static int
changed_since (int sfd, struct stat *st)
{
  struct statx x;
  AT (SRC_STAT);
  if (statx (sfd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_SIZE | STATX_MTIME | STATX_CTIME, &x) < 0)
    return -1;
  if ((off_t)x.stx_size == st->st_size
      && x.stx_mtime.tv_sec == st->st_mtim.tv_sec && x.stx_mtime.tv_nsec == (uint32_t)st->st_mtim.tv_nsec
      && x.stx_ctime.tv_sec == st->st_ctim.tv_sec && x.stx_ctime.tv_nsec == (uint32_t)st->st_ctim.tv_nsec)
    return 0;
  return fstat (sfd, st) < 0 ? -1 : 1;
}

/* Keeps the first errno of a failure while cleanup calls run. */
#define SAVE_ERRNO(stmt) do { int e_ = errno; stmt; errno = e_; } while (0)

static int
ignorable_meta_error (int e)
{
  /* what cp -a silently lets go: ownership a non-root user may not give
   * away, attributes the destination cannot hold */
  return e == EPERM || e == EINVAL || e == EOPNOTSUPP || e == ENOTSUP || e == EACCES;
}

/* What a batch learns once about its destination directory. */
#define PROBE_MIN 8
struct cf_dir {
  int ddir;      /* the directory this is about (-1: none) */
  int no_clone;  /* it refused a clone: do not ask for every file */
  int probed;
  /* A file created there is born with our euid and egid, and with the mode
   * it was created with less the umask (no default ACL): a copy whose
   * source has that owner needs no fchown, and one whose mode survives the
   * umask no fchmod (Perf: two syscalls of about thirteen per small file;
   * cp -a skips them the same way). */
  int born_ours;
  uid_t euid;
  gid_t egid;
  mode_t umask;
};

/* The process's umask, read without changing it (umask(2) would, for every
 * thread): /proc/self/status's Umask line (Linux 4.7). -1 if unknown. */
static int
read_umask (void)
{
  int fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  char buf[4096];
  ssize_t n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return -1;
  buf[n] = 0;
  char *u = strstr (buf, "\nUmask:");
  return u ? (int)strtol (u + 7, 0, 8) : -1;
}

static void
probe_dir (struct cf_dir *cd)
{
  struct stat d;
  cd->probed = 1;
  cd->born_ours = 0;
  int um = read_umask ();
  if (um < 0 || cd->ddir < 0 || fstat (cd->ddir, &d) < 0)
    return;
  cd->euid = geteuid ();
  cd->egid = getegid ();
  cd->umask = (mode_t)um;
  /* the group a new file gets is ours, or the directory's (set-gid, or a
   * grpid mount): both are ours when the directory's is */
  /* by its /proc path: directory handles are O_PATH, which fgetxattr refuses */
  char at[64];
  snprintf (at, sizeof at, "/proc/self/fd/%d", cd->ddir);
  cd->born_ours = d.st_gid == cd->egid
                  && getxattr (at, "system.posix_acl_default", 0, 0) < 0 && (errno == ENODATA || errno == EOPNOTSUPP);
}

/* ---- data ---- */


/* Copies [off, off + len) of sfd to the same offset of dfd; len < 0 means
 * "to the end of the file". Falls back from copy_file_range to sendfile to
 * read/write as the filesystems refuse. (aio.copy uses it too: exec.c.) */
int
ioaio__copy_range (int sfd, int dfd, off_t off, off_t len, int *method, char **buf)
{
  int to_eof = len < 0;

  while (to_eof || len > 0)
    {
      size_t want = to_eof || len > (1 << 30) ? (size_t)1 << 30 : (size_t)len;
      ssize_t n;

      if (*method == IOAIO_COPY_CFR)
        {
          loff_t si = off, di = off;
          n = copy_file_range (sfd, &si, dfd, &di, want, 0);
          if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP || errno == EBADF))
            {
              *method = IOAIO_COPY_SENDFILE;
              continue;
            }
        }
      else if (*method == IOAIO_COPY_SENDFILE)
        {
          off_t si = off;
          if (AT (DST_WRITE), lseek (dfd, off, SEEK_SET) < 0)
            return -1;
          n = sendfile (dfd, sfd, &si, want);
          if (n < 0 && (errno == EINVAL || errno == ENOSYS))
            {
              *method = IOAIO_COPY_RW;
              continue;
            }
        }
      else
        {
          if (!*buf && !(*buf = malloc (CHUNK)))
            return -1;
          AT (SRC_READ);
          n = pread (sfd, *buf, want < CHUNK ? want : CHUNK, off);
          for (ssize_t done = 0; n > 0 && done < n;)
            {
              AT (DST_WRITE);
              ssize_t w = pwrite (dfd, *buf + done, (size_t)(n - done), off + done);
              if (w < 0)
                {
                  if (errno == EINTR)
                    continue;
                  return -1;
                }
              done += w;
            }
        }
      if (n < 0 && *method != IOAIO_COPY_RW)
        cf_at = write_side_errno (errno) ? IOAIO_CF_AT_DST_WRITE : IOAIO_CF_AT_SRC_READ;

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      if (n == 0)
        break; /* end of file (it shrank, or to_eof reached it) */
      off += n;
      if (!to_eof)
        len -= n;
    }
  return 0;
}

/* All of sfd into the empty dfd: a clone where asked and possible, else
 * the data extents only (holes stay holes), else everything. */
static int
copy_data (int sfd, int dfd, const struct stat *st, int flags, int *no_clone)
{
  int reflink = flags & IOAIO_CF_REFLINK_MASK;
  int method = reflink == IOAIO_CF_REFLINK_NEVER ? IOAIO_COPY_SENDFILE : IOAIO_COPY_CFR;
  char *buf = 0;
  int r = -1;

  /* Perf: within one batch (one destination directory), a filesystem that
   * refused a clone is not asked again for every file. */
  if (reflink != IOAIO_CF_REFLINK_NEVER && (reflink == IOAIO_CF_REFLINK_ALWAYS || !*no_clone))
    {
      if (AT (DST_WRITE), ioctl (dfd, FICLONE, sfd) == 0)
        return 0;
      if (reflink == IOAIO_CF_REFLINK_ALWAYS)
        {
          if (errno == EINVAL || errno == ENOTTY || errno == EXDEV)
            errno = EOPNOTSUPP;
          return -1;
        }
      if (errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL || errno == EXDEV)
        *no_clone = 1;
    }

  if (st->st_size == 0)
    return 0;

  /* Perf: only a file with fewer blocks than its size can have holes; the
   * rest is copied without two lseeks per extent. */
  if ((off_t)st->st_blocks * 512 < st->st_size)
    {
      off_t pos = 0;
      for (;;)
        {
          off_t data = (AT (SRC_READ), lseek (sfd, pos, SEEK_DATA));
          if (data < 0)
            {
              if (errno == ENXIO)
                break; /* only a hole is left */
              if (errno == EINVAL || errno == EOPNOTSUPP)
                goto whole; /* no SEEK_DATA here */
              goto out;
            }
          off_t hole = lseek (sfd, data, SEEK_HOLE);
          if (hole < 0)
            goto out;
          if (ioaio__copy_range (sfd, dfd, data, hole - data, &method, &buf) < 0)
            goto out;
          pos = hole;
        }
      /* a trailing hole: the size without allocating it */
      r = (AT (DST_WRITE), ftruncate (dfd, st->st_size));
      goto out;
    }

whole:
  /* the size fstat saw: one copy_file_range for a small file, no extra
   * call to find the end (a file that grows meanwhile is copied as it was) */
  r = ioaio__copy_range (sfd, dfd, 0, st->st_size, &method, &buf);
out:
  SAVE_ERRNO (free (buf));
  return r;
}

/* ---- metadata ---- */

/* An entry's xattrs by fd, or where there is none (a symlink, a fifo, a
 * device: opening those would follow them or block) by path, not followed:
 * trusted.* and security.* can sit on symlinks and device nodes. */
struct xside { int fd; const char *path; };

static ssize_t
x_list (struct xside x, char *buf, size_t n)
{
  return x.path ? llistxattr (x.path, buf, n) : flistxattr (x.fd, buf, n);
}

static ssize_t
x_get (struct xside x, const char *name, void *buf, size_t n)
{
  return x.path ? lgetxattr (x.path, name, buf, n) : fgetxattr (x.fd, name, buf, n);
}

static int
x_set (struct xside x, const char *name, const void *val, size_t n)
{
  return x.path ? lsetxattr (x.path, name, val, n, 0) : fsetxattr (x.fd, name, val, n, 0);
}

static int
copy_xattrs_of (struct xside src, struct xside dst)
{
  ssize_t n = (AT (SRC_XATTR), x_list (src, 0, 0));
  if (n <= 0)
    return n < 0 && !ignorable_meta_error (errno) ? -1 : 0;
  char *names = malloc ((size_t)n), *val = 0;
  size_t cap = 0;
  int r = -1;
  if (!names)
    return -1;
  if ((n = (AT (SRC_XATTR), x_list (src, names, (size_t)n))) < 0)
    goto out;
  for (char *name = names; name < names + n; name += strlen (name) + 1)
    {
      ssize_t len = x_get (src, name, 0, 0);
      if (len < 0)
        continue; /* gone meanwhile */
      if ((size_t)len > cap)
        {
          char *nv = realloc (val, (size_t)len);
          if (!nv)
            goto out;
          val = nv;
          cap = (size_t)len;
        }
      if ((len = x_get (src, name, val, cap)) < 0)
        continue;
      if (AT (DST_XATTR), x_set (dst, name, val, (size_t)len) < 0)
        {
          if (errno == ENOSPC || errno == EDQUOT)
            goto out;
          /* trusted.* as non-root, security.* a module refuses, a
           * filesystem without xattrs: best effort, as cp -a */
        }
    }
  r = 0;
out:
  SAVE_ERRNO ((free (names), free (val)));
  return r;
}

static int
copy_xattrs (int sfd, int dfd)
{
  return copy_xattrs_of ((struct xside){ sfd, 0 }, (struct xside){ dfd, 0 });
}

/* name below dir as a path that reaches it without following it:
 * /proc/self/fd/DIR/NAME (the xattr calls take no directory fd). */
static int
path_at (char *out, size_t cap, int dir, const char *name)
{
  int n = name[0] == '/' || dir == AT_FDCWD ? snprintf (out, cap, "%s", name)
                                             : snprintf (out, cap, "/proc/self/fd/%d/%s", dir, name);
  if (n < 0 || (size_t)n >= cap)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  return 0;
}

/* The xattrs of a symlink, fifo, socket or device, by path. */
static int
copy_xattrs_at (int sdir, const char *src, int ddir, const char *dst)
{
  char sp[PATH_MAX + 32], dp[PATH_MAX + 32];
  if (path_at (sp, sizeof sp, sdir, src) < 0 || path_at (dp, sizeof dp, ddir, dst) < 0)
    return -1;
  return copy_xattrs_of ((struct xside){ -1, sp }, (struct xside){ -1, dp });
}

/* Owner, mode, xattrs, times of an open file or directory. The order
 * matters: chown may clear set-id bits, so the mode comes after it; the
 * times come last because nothing after them may touch the inode. */
enum { META_OWNER_SET = 1, META_MODE_SET = 2 };

static int
apply_meta_but (int sfd, int dfd, const struct stat *st, int flags, int set)
{
  if (!(set & META_OWNER_SET) && (AT (DST_CHOWN), fchown (dfd, st->st_uid, st->st_gid) < 0) && !ignorable_meta_error (errno))
    return -1;
  if (!(set & META_MODE_SET) && (AT (DST_CHMOD), fchmod (dfd, st->st_mode & 07777) < 0))
    return -1;
  if ((flags & IOAIO_CF_XATTRS) && sfd >= 0 && copy_xattrs (sfd, dfd) < 0)
    return -1;
  if ((flags & IOAIO_CF_FSYNC) && (AT (DST_FSYNC), fsync (dfd) < 0))
    return -1;
  struct timespec ts[2] = { st->st_atim, st->st_mtim };
  return AT (DST_UTIMENS), futimens (dfd, ts);
}

static int
apply_meta (int sfd, int dfd, const struct stat *st, int flags)
{
  return apply_meta_but (sfd, dfd, st, flags, 0);
}

static int
fsync_dir (int ddir)
{
  int fd = (AT (DST_FSYNC), openat (ddir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd < 0)
    return -1;
  int r = fsync (fd);
  SAVE_ERRNO (close (fd));
  return r;
}

/* ---- decisions ---- */

static int
same_content (int sfd, int dfd)
{
  char *a = malloc (CHUNK), *b = malloc (CHUNK);
  int r = -1;
  if (!a || !b)
    goto out;
  for (off_t off = 0;;)
    {
      ssize_t n = (AT (SRC_READ), pread (sfd, a, CHUNK, off));
      if (n < 0)
        goto out;
      ssize_t m = 0;
      while (m < n)
        {
          ssize_t k = (AT (DST_READ), pread (dfd, b + m, (size_t)(n - m), off + m));
          if (k < 0)
            goto out;
          if (k == 0)
            break;
          m += k;
        }
      if (m != n || memcmp (a, b, (size_t)n))
        {
          r = 0;
          goto out;
        }
      if (n == 0)
        {
          r = 1;
          goto out;
        }
      off += n;
    }
out:
  SAVE_ERRNO ((free (a), free (b)));
  return r;
}

/* Does dst already hold what src is (IOAIO_CF_UPDATE's quick check: the
 * type, and for files size and mtime, as rsync -a decides)? */
static int
up_to_date (int ddir, const char *dst, int sdir, const char *src, const struct stat *st)
{
  struct stat d;
  if (fstatat (ddir, dst, &d, AT_SYMLINK_NOFOLLOW) < 0)
    return 0;
  if ((d.st_mode & S_IFMT) != (st->st_mode & S_IFMT))
    return 0;
  if (S_ISREG (st->st_mode))
    return d.st_size == st->st_size && d.st_mtim.tv_sec == st->st_mtim.tv_sec
           && d.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
  if (S_ISLNK (st->st_mode))
    {
      char *a = malloc (PATH_MAX), *b = malloc (PATH_MAX);
      int same = 0;
      if (a && b)
        {
          ssize_t n = readlinkat (sdir, src, a, PATH_MAX), m = readlinkat (ddir, dst, b, PATH_MAX);
          same = n >= 0 && n == m && !memcmp (a, b, (size_t)n);
        }
      free (a);
      free (b);
      return same;
    }
  return d.st_rdev == st->st_rdev;
}

/* IOAIO_CF_NO_CLOBBER and IOAIO_CF_NEWER (mv's -n and -u): does an
 * existing dst stay as it is (IOAIO_CF_KEPT)? Never decided by the quick
 * check: a move removes the source of what it skips, and size and mtime
 * alike (coarse timestamps) do not make the bytes alike. */
static int
kept_dst (int ddir, const char *dst, const struct stat *st, int flags)
{
  struct stat d;
  if (fstatat (ddir, dst, &d, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  if (flags & IOAIO_CF_NO_CLOBBER)
    return IOAIO_CF_KEPT;
  if (d.st_mtim.tv_sec > st->st_mtim.tv_sec
      || (d.st_mtim.tv_sec == st->st_mtim.tv_sec && d.st_mtim.tv_nsec >= st->st_mtim.tv_nsec))
    return IOAIO_CF_KEPT;
  return -1;
}

/* ---- the request ---- */

/* sfd's data into the empty dfd, again from its start while the file
 * changes under the copy (st then becomes what it is now): what is renamed
 * into place is one version of it, or, after IOAIO_CF_CHANGE_TRIES, nothing
 * (EAGAIN at IOAIO_CF_AT_SRC_CHANGED). */
static int
copy_stable (int sfd, int dfd, struct stat *st, int flags, int *no_clone)
{
  for (int tries = 1;; tries++)
    {
      if (copy_data (sfd, dfd, st, flags, no_clone) < 0)
        return -1;
      int ch = changed_since (sfd, st);
      if (ch <= 0)
        return ch;
      if (tries >= IOAIO_CF_CHANGE_TRIES)
        {
          AT (SRC_CHANGED);
          errno = EAGAIN;
          return -1;
        }
      if (AT (DST_WRITE), ftruncate (dfd, 0) < 0)
        return -1;
    }
}

/* A regular file: to a temporary, then renamed. */
static int
copy_regular (const char *src, int sdir, int ddir, const char *dst, struct stat *st, int flags, struct cf_dir *cd, int sfd)
{
  char tmp[TEMP_LEN];
  int dfd = -1;

  /* sfd >= 0: opened and fstat'ed into st by the caller, and ours to close */
  if (sfd < 0)
    {
      sfd = (AT (SRC_OPEN), openat (sdir, src, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
      if (sfd < 0)
        return -1;
      /* what we opened, not what lstat saw a moment before */
      if (AT (SRC_STAT), fstat (sfd, st) < 0)
        goto fail;
      if (!S_ISREG (st->st_mode))
        {
          errno = EAGAIN; /* replaced while we looked: the caller may retry */
          goto fail;
        }
    }

  if (flags & IOAIO_CF_CHECKSUM)
    {
      int cfd = openat (ddir, dst, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
      struct stat d;
      if (cfd >= 0)
        {
          int same = fstat (cfd, &d) == 0 && S_ISREG (d.st_mode) && d.st_size == st->st_size
                     ? same_content (sfd, cfd) : 0;
          int r = 0;
          /* same bytes: only the metadata is brought up to date */
          if (same == 1 && !(flags & IOAIO_CF_DRY_RUN))
            r = apply_meta (sfd, cfd, st, flags & ~IOAIO_CF_FSYNC);
          SAVE_ERRNO (close (cfd));
          if (same < 0 || r < 0)
            goto fail;
          if (same == 1)
            {
              close (sfd);
              return IOAIO_CF_SKIPPED;
            }
        }
    }
  if (flags & IOAIO_CF_DRY_RUN)
    {
      close (sfd);
      return IOAIO_CF_COPIED;
    }

  /* Born right (see struct cf_dir): created with its own permission bits
   * less group and other write, which only its owner and group, already
   * the source's, can use; else 0600 until chown and chmod. */
  int set = 0;
  mode_t create = 0600;
  if (ddir == cd->ddir)
    {
      if (!cd->probed)
        probe_dir (cd);
      if (cd->born_ours && st->st_uid == cd->euid && st->st_gid == cd->egid)
        {
          set = META_OWNER_SET;
          /* never writable by group or others while it is being written:
           * a 0666 source gets its write bits at the fchmod after the data */
          create = st->st_mode & 0777 & ~(mode_t)(S_IWGRP | S_IWOTH);
          if (create == (st->st_mode & 07777) && (create & ~cd->umask) == create)
            set |= META_MODE_SET;
        }
    }
  for (int tries = 1;; tries++)
    {
      do
        {
          temp_name (tmp);
          AT (DST_CREATE);
          dfd = openat (ddir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, create);
        }
      while (dfd < 0 && errno == EEXIST);
      if (dfd < 0)
        goto fail;

      if (copy_stable (sfd, dfd, st, flags, &cd->no_clone) < 0 || apply_meta_but (sfd, dfd, st, flags, set) < 0)
        goto unlink_tmp;
      /* close can report a deferred write error (NFS): then the copy failed */
      int c = (AT (DST_CLOSE), close (dfd));
      dfd = -1;
      if (c < 0)
        goto unlink_tmp;
      if (AT (DST_RENAME), renameat (ddir, tmp, ddir, dst) == 0)
        break;
      if (tries >= TEMP_TRIES || !temp_vanished (ddir, tmp))
        goto unlink_tmp;
    }
  close (sfd);
  if ((flags & IOAIO_CF_FSYNC) && fsync_dir (ddir) < 0)
    return -1;
  return IOAIO_CF_COPIED;

unlink_tmp:
  SAVE_ERRNO ((dfd >= 0 ? close (dfd) : 0, unlinkat (ddir, tmp, 0)));
fail:
  SAVE_ERRNO (close (sfd));
  return -1;
}

/* Symlinks, fifos, sockets, devices: made under a temporary name, then renamed. */
static int
copy_special (const char *src, int sdir, int ddir, const char *dst, const struct stat *st, int flags)
{
  char tmp[TEMP_LEN];
  char *target = 0;
  int r;

  if (flags & IOAIO_CF_DRY_RUN)
    return IOAIO_CF_COPIED;
  if (S_ISLNK (st->st_mode))
    {
      size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : PATH_MAX;
      if (!(target = malloc (cap)))
        return -1;
      ssize_t n = (AT (SRC_READLINK), readlinkat (sdir, src, target, cap));
      if (n < 0 || (size_t)n >= cap)
        {
          if (n >= 0)
            errno = EAGAIN; /* it grew meanwhile */
          SAVE_ERRNO (free (target));
          return -1;
        }
      target[n] = 0;
    }

  struct timespec ts[2] = { st->st_atim, st->st_mtim };
  for (int tries = 1;; tries++)
    {
      do
        {
          temp_name (tmp);
          AT (DST_CREATE);
          r = target ? symlinkat (target, ddir, tmp)
                     : mknodat (ddir, tmp, (st->st_mode & S_IFMT) | 0600, st->st_rdev);
        }
      while (r < 0 && errno == EEXIST);
      if (r < 0)
        {
          SAVE_ERRNO (free (target));
          return -1;
        }
      if ((AT (DST_CHOWN), fchownat (ddir, tmp, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && !ignorable_meta_error (errno))
          || (!S_ISLNK (st->st_mode) && (AT (DST_CHMOD), fchmodat (ddir, tmp, st->st_mode & 07777, 0) < 0))
          || ((flags & IOAIO_CF_XATTRS) && copy_xattrs_at (sdir, src, ddir, tmp) < 0)
          || (AT (DST_UTIMENS), utimensat (ddir, tmp, ts, AT_SYMLINK_NOFOLLOW) < 0)
          || (AT (DST_RENAME), renameat (ddir, tmp, ddir, dst) < 0))
        {
          if (tries < TEMP_TRIES && temp_vanished (ddir, tmp))
            continue;
          SAVE_ERRNO ((unlinkat (ddir, tmp, 0), free (target)));
          return -1;
        }
      break;
    }
  free (target);
  if ((flags & IOAIO_CF_FSYNC) && fsync_dir (ddir) < 0)
    return -1;
  return IOAIO_CF_COPIED;
}

/* An existing directory gets src's owner, mode, xattrs and times. */
static int
copy_dir_meta (const char *src, int sdir, int ddir, const char *dst, const struct stat *st, int flags)
{
  if (flags & IOAIO_CF_DRY_RUN)
    return IOAIO_CF_COPIED;
  int dfd = (AT (DST_OPEN), openat (ddir, dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dfd < 0)
    return -1;
  int sfd = -1;
  if ((flags & IOAIO_CF_XATTRS) && (AT (SRC_OPEN), sfd = openat (sdir, src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
    {
      SAVE_ERRNO (close (dfd));
      return -1;
    }
  int r = apply_meta (sfd, dfd, st, flags);
  SAVE_ERRNO ((sfd >= 0 ? close (sfd) : 0));
  if (close (dfd) < 0 && r >= 0)
    r = (AT (DST_CLOSE), -1);
  return r < 0 ? -1 : IOAIO_CF_COPIED;
}

/* One entry: src (relative to sdir) to dst (relative to ddir; a directory
 * part is opened, the temporary goes next to the final name). Returns an
 * IOAIO_CF_* outcome and fills st, or -1 with errno. */
static int
copy_one (int sdir, const char *src, int ddir, const char *dst, int flags, struct stat *st, struct cf_dir *cd)
{
  const char *slash = strrchr (dst, '/');
  int own_ddir = -1, no_ddir = 0;
  int r = -1;

  AT (NONE);
  if (slash && slash[1])
    {
      size_t n = (size_t)(slash - dst);
      char *dir = strndup (dst, n ? n : 1);
      if (!dir)
        return -1;
      AT (DST_OPEN);
      own_ddir = openat (ddir, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
      free (dir);
      if (own_ddir < 0)
        {
          /* a dry run below a directory it would have made (or made in
           * place of a non-directory, --delete) */
          if (!(flags & IOAIO_CF_DRY_RUN) || (errno != ENOENT && errno != ENOTDIR))
            return -1;
          no_ddir = 1;
        }
      ddir = own_ddir;
      dst = slash + 1;
    }

  if ((flags & IOAIO_CF_REGULAR) && !(flags & (IOAIO_CF_DIR_META | IOAIO_CF_UPDATE)) && !no_ddir)
    {
      /* Perf: readdir said it is a regular file: open it at once (on NFS or
       * FUSE one lookup instead of two); whatever else is found there now
       * takes the general way below. Not with IOAIO_CF_UPDATE: a resume or
       * a mirror finds most files up to date, and an lstat decides that
       * without an open and a close (cptree -T -u of a 100k-file tree
       * already whole, tmpfs, by hand with /usr/bin/time: 0.54-0.59 s,
       * against 0.65-0.76 s opening; bench/results.md). */
      int sfd = (AT (SRC_OPEN), openat (sdir, src, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
      if (sfd >= 0)
        {
          if ((AT (SRC_STAT), fstat (sfd, st)) == 0 && S_ISREG (st->st_mode))
            {
              if ((flags & IOAIO_CF_LINKS) && st->st_nlink > 1)
                r = IOAIO_CF_HARDLINK;
              else if ((flags & IOAIO_CF_UPDATE) && up_to_date (ddir, dst, sdir, src, st))
                r = IOAIO_CF_SKIPPED;
              else if ((flags & (IOAIO_CF_NO_CLOBBER | IOAIO_CF_NEWER))
                       && (r = kept_dst (ddir, dst, st, flags)) >= 0)
                ;
              else
                {
                  r = copy_regular (src, sdir, ddir, dst, st, flags, cd, sfd);
                  goto out;
                }
            }
          SAVE_ERRNO (close (sfd));
          if (r >= 0)
            goto out;
        }
      else if (errno != ELOOP && errno != ENXIO && errno != ENODEV && errno != EWOULDBLOCK)
        goto out; /* no such file, no permission: that is the answer */
    }

  if (AT (SRC_STAT), fstatat (sdir, src, st, AT_SYMLINK_NOFOLLOW) < 0)
    goto out;

  if (flags & IOAIO_CF_DIR_META)
    {
      if (!S_ISDIR (st->st_mode))
        errno = ENOTDIR;
      else
        r = copy_dir_meta (src, sdir, ddir, dst, st, flags);
    }
  else if (S_ISDIR (st->st_mode))
    errno = EISDIR;
  else if ((flags & IOAIO_CF_LINKS) && st->st_nlink > 1)
    r = IOAIO_CF_HARDLINK; /* the caller links it or copies it once */
  else if (no_ddir)
    r = IOAIO_CF_COPIED;
  else if ((flags & IOAIO_CF_UPDATE) && up_to_date (ddir, dst, sdir, src, st))
    r = IOAIO_CF_SKIPPED;
  else if ((flags & (IOAIO_CF_NO_CLOBBER | IOAIO_CF_NEWER)) && (r = kept_dst (ddir, dst, st, flags)) >= 0)
    ;
  else if (S_ISREG (st->st_mode))
    r = copy_regular (src, sdir, ddir, dst, st, flags, cd, -1);
  else
    r = copy_special (src, sdir, ddir, dst, st, flags);

out:
  if (own_ddir >= 0)
    SAVE_ERRNO (close (own_ddir));
  return r;
}

void
ioaio__exec_copyfile (eio_req *req)
{
  struct stat st;
  int ddir = ioaio__wd_fd ((eio_wd)req->int3);
  struct cf_dir cd = { .ddir = -1 }; /* one file: the probe would cost more than it saves */
  int r = copy_one (ioaio__wd_fd (req->wd), req->ptr1, ddir, req->ptr2, (int)req->int2, &st, &cd);
  if (r >= 0)
    ioaio__fill_stat (req->st, &st);
  req->result = r >= 0 ? r : -1 - cf_at;
}

/* copyfiles: many names of one directory, each like copyfile, in one
 * request. Perf: on a warm local tree a small file costs the kernel tens of
 * microseconds; a request per file would cost the host as much again. */
void
ioaio__exec_copyfiles (eio_req *req)
{
  int sdir = ioaio__wd_fd (req->wd), ddir = ioaio__wd_fd ((eio_wd)req->int3);
  int flags = (int)req->int2, stop = 0;
  const char *names = req->ptr1, *end = names + req->size;
  size_t n = 0;

  for (const char *p = names; p < end; p += strlen (p) + 1)
    ++n;
  /* Perf: the probe costs about seven syscalls and saves two a file, so
   * only a batch of PROBE_MIN or more is probed (trees shaped like /usr
   * have three entries a directory at the median). */
  struct cf_dir cd = { .ddir = n >= PROBE_MIN ? ddir : -1 };
  double *out = malloc (n * IOAIO_CF_RECORD_FIELDS * sizeof (double) + 1);
  req->result = -1;
  if (!out)
    return;

  double *o = out;
  for (const char *p = names; p < end; p += strlen (p) + 1, o += IOAIO_CF_RECORD_FIELDS)
    {
      struct stat st;
      int r;
      memset (&st, 0, sizeof st);
      if (stop)
        {
          r = -1;
          errno = ECANCELED;
          AT (NONE);
        }
      else
        r = copy_one (sdir, p, ddir, p, flags, &st, &cd);
      /* a full destination: the rest of the batch is not tried */
      if (r < 0 && (errno == ENOSPC || errno == EDQUOT))
        stop = 1;
      o[0] = r < 0 ? -errno : r;
      o[1] = st.st_mode;
      o[2] = (double)st.st_size;
      o[3] = (double)st.st_nlink;
      o[4] = (double)st.st_dev;
      o[5] = (double)st.st_ino;
      o[6] = r < 0 ? cf_at : IOAIO_CF_AT_NONE;
    }
  req->ptr2 = out;
  req->flags |= EIO_FLAG_PTR2_FREE;
  req->result = (eio_ssize_t)(n * IOAIO_CF_RECORD_FIELDS * sizeof (double));
}
