/* Building requests. One function per argument shape keeps each FFI call
 * short (koffi converts every argument; fewer arguments, cheaper calls) while
 * one switch per shape maps our kinds onto libeio's request fields. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

static int
set_path (eio_req *req, const char *path)
{
  req->ptr1 = strdup (path);
  if (!req->ptr1)
    return -ENOMEM;
  req->flags |= EIO_FLAG_PTR1_FREE;
  return 0;
}

static int
set_path2 (eio_req *req, const char *path)
{
  req->ptr2 = strdup (path);
  if (!req->ptr2)
    return -ENOMEM;
  req->flags |= EIO_FLAG_PTR2_FREE;
  return 0;
}

/* Common tail: submit, or free and report. */
static int
finish_build (ioaio_ctx *ctx, eio_req *req, int err)
{
  if (err < 0)
    {
      ioaio__req_free (req);
      return err;
    }
  return ioaio__submit (ctx, req);
}

static int
path_type (int kind)
{
  switch (kind)
    {
      case IOAIO_STAT: case IOAIO_LSTAT: case IOAIO_LOAD: return EIO_CUSTOM;
      case IOAIO_STATVFS:  return EIO_STATVFS;
      case IOAIO_UNLINK:   return EIO_UNLINK;
      case IOAIO_RMDIR:    return EIO_RMDIR;
      case IOAIO_READLINK: return EIO_READLINK;
      case IOAIO_REALPATH: return EIO_REALPATH;
      case IOAIO_MKDIR:    return EIO_MKDIR;
      case IOAIO_CHMOD:    return EIO_CHMOD;
      case IOAIO_TRUNCATE: return EIO_TRUNCATE;
      case IOAIO_OPEN:     return EIO_OPEN;
      case IOAIO_READDIR:  return EIO_READDIR;
      case IOAIO_CHOWN:    return EIO_CHOWN;
      case IOAIO_MKNOD:    return EIO_MKNOD;
      case IOAIO_WD_OPEN:  return EIO_WD_OPEN;
      default:             return -1;
    }
}

IOAIO_API int
ioaio_req_path (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int64_t a, int64_t b)
{
  int type = path_type (kind);
  eio_wd w;
  int err;

  if (!ctx || type < 0)
    return -EINVAL;
  if (!path)
    return -EFAULT;
  if ((err = ioaio__resolve_wd (ctx, wd, &w)) < 0)
    return err;

  eio_req *req = ioaio__req_new (ctx, kind, type, pri);
  if (!req)
    return -ENOMEM;
  req->wd = w;

  switch (kind)
    {
      case IOAIO_STAT: case IOAIO_LSTAT: req->feed = ioaio__exec_stat; break;
      case IOAIO_LOAD:  req->feed = ioaio__exec_load; break;
      case IOAIO_WD_OPEN:
        if (a == 1)
          {
            req->type = EIO_CUSTOM;
            req->feed = ioaio__exec_wd_plain;
          }
        break;
      case IOAIO_MKDIR: case IOAIO_CHMOD: req->int2 = (long)a; break;
      case IOAIO_TRUNCATE: req->offs = (off_t)a; break;
      case IOAIO_OPEN:  req->int1 = (int)a; req->int2 = (long)b; break;
      /* We always ask libeio for dirents: types and inodes cost nothing extra. */
      case IOAIO_READDIR: req->int1 = (int)a | EIO_READDIR_DENTS; break;
      case IOAIO_CHOWN: req->int2 = (long)a; req->int3 = (long)b; break;
      case IOAIO_MKNOD: req->int2 = (long)a; req->offs = (off_t)b; break;
    }

  return finish_build (ctx, req, set_path (req, path));
}

IOAIO_API int
ioaio_req_path2 (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int wd2,
                 const char *path2, int64_t a)
{
  eio_wd w, w2;
  int err, type;

  if (!ctx)
    return -EINVAL;
  if (!path || !path2)
    return -EFAULT;
  switch (kind)
    {
      case IOAIO_RENAME:  type = EIO_RENAME; break;
      case IOAIO_LINK:    type = EIO_LINK; break;
      case IOAIO_SYMLINK: type = EIO_SYMLINK; break;
      case IOAIO_COPY:    type = EIO_CUSTOM; break;
      case IOAIO_COPYFILE: type = EIO_CUSTOM; break;
      default: return -EINVAL;
    }
  if ((err = ioaio__resolve_wd (ctx, wd, &w)) < 0 || (err = ioaio__resolve_wd (ctx, wd2, &w2)) < 0)
    return err;

  eio_req *req = ioaio__req_new (ctx, kind, type, pri);
  if (!req)
    return -ENOMEM;

  if (kind == IOAIO_SYMLINK)
    /* symlinkat(target, dirfd, linkpath): the target is stored verbatim,
     * only the new link's path is relative to a directory. */
    req->wd = w2;
  else
    {
      req->wd = w;
      req->int3 = (long)w2;
    }
  req->int2 = (long)a;
  if (kind == IOAIO_COPY)
    req->feed = ioaio__exec_copy;
  else if (kind == IOAIO_COPYFILE)
    req->feed = ioaio__exec_copyfile;

  err = set_path (req, path);
  if (!err)
    err = set_path2 (req, path2);
  return finish_build (ctx, req, err);
}

IOAIO_API int
ioaio_req_fd (ioaio_ctx *ctx, int kind, int pri, int fd, int64_t a, int64_t b, int64_t c)
{
  int type;
  eio_wd w = EIO_CWD;

  if (!ctx)
    return -EINVAL;
  switch (kind)
    {
      case IOAIO_CLOSE:     type = EIO_CLOSE; break;
      case IOAIO_SEEK:      type = EIO_SEEK; break;
      case IOAIO_FSTAT:     type = EIO_CUSTOM; break;
      case IOAIO_FSTATVFS:  type = EIO_FSTATVFS; break;
      case IOAIO_FTRUNCATE: type = EIO_FTRUNCATE; break;
      case IOAIO_FCHMOD:    type = EIO_FCHMOD; break;
      case IOAIO_FCHOWN:    type = EIO_FCHOWN; break;
      case IOAIO_FSYNC:     type = EIO_FSYNC; break;
      case IOAIO_FDATASYNC: type = EIO_FDATASYNC; break;
      case IOAIO_SYNCFS:    type = EIO_SYNCFS; break;
      case IOAIO_SYNC_FILE_RANGE: type = EIO_SYNC_FILE_RANGE; break;
      case IOAIO_ALLOCATE:  type = EIO_FALLOCATE; break;
      case IOAIO_READAHEAD: type = EIO_READAHEAD; break;
      case IOAIO_SENDFILE:  type = EIO_SENDFILE; break;
      case IOAIO_WALKSTEP:  type = EIO_CUSTOM; break;
      case IOAIO_RMSTEP:    type = EIO_CUSTOM; break;
      case IOAIO_FIEMAP:    type = EIO_CUSTOM; break;
      case IOAIO_WD_CLOSE:
        /* fd is the wd id; it leaves the table now so no new request can use it. */
        if (fd <= 0 || !(w = idtab_get (&ctx->wds, fd - 1)))
          return -EBADF;
        type = EIO_WD_CLOSE;
        break;
      default: return -EINVAL;
    }

  if (fd < 0)
    return -EBADF;

  eio_req *req = ioaio__req_new (ctx, kind, type, pri);
  if (!req)
    return -ENOMEM;
  req->int1 = fd;

  switch (kind)
    {
      case IOAIO_SEEK:      req->offs = (off_t)a; req->int2 = (long)b; break;
      case IOAIO_FSTAT:     req->feed = ioaio__exec_stat; break;
      case IOAIO_FTRUNCATE: req->offs = (off_t)a; break;
      case IOAIO_FCHMOD:    req->int2 = (long)a; break;
      case IOAIO_FCHOWN:    req->int2 = (long)a; req->int3 = (long)b; break;
      case IOAIO_SYNC_FILE_RANGE: req->offs = (off_t)a; req->size = (size_t)b; req->int2 = (long)c; break;
      case IOAIO_ALLOCATE:  req->int2 = (long)a; req->offs = (off_t)b; req->size = (size_t)c; break;
      case IOAIO_READAHEAD: req->offs = (off_t)a; req->size = (size_t)b; break;
      case IOAIO_SENDFILE:  req->int2 = (long)a; req->offs = (off_t)b; req->size = (size_t)c; break;
      case IOAIO_FIEMAP:
        /* a start, b length (< 0: to the end), c flags | count << 32 (count 0: all) */
        req->feed = ioaio__exec_fiemap;
        req->offs = (off_t)a;
        req->size = b < 0 ? (size_t)-1 : (size_t)b;
        req->int2 = (long)(c & 0xffffffff);
        req->int3 = (long)((uint64_t)c >> 32);
        break;
      case IOAIO_WALKSTEP:
        /* fd is the walk id */
        req->feed = ioaio__exec_walkstep;
        req->int1 = (int)(a > 0 && a < (1 << 30) ? a : 1 << 18);
        req->int2 = (long)(b > 0 ? b : 10000);
        {
          int err = ioaio__walk_step_submit (ctx, req, fd);
          if (err < 0)
            {
              ioaio__req_free (req);
              return err;
            }
        }
        break;
      case IOAIO_RMSTEP:
        /* fd is the rm id */
        req->feed = ioaio__exec_rmstep;
        req->int1 = (int)(a > 0 && a < (1 << 30) ? a : 1 << 18);
        req->int2 = (long)(b > 0 ? b : 50000);
        {
          int err = ioaio__rm_step_submit (ctx, req, fd);
          if (err < 0)
            {
              ioaio__req_free (req);
              return err;
            }
        }
        break;
      case IOAIO_WD_CLOSE:
        req->int1 = 0;
        req->wd = w;
        idtab_del (&ctx->wds, fd - 1);
        break;
    }

  return ioaio__submit (ctx, req);
}

/* Checks that buf holds count NUL-terminated (IOAIO_SB_SEP_NL: newline-
 * terminated) paths in exactly len bytes, so the worker cannot read past. */
static int
statbatch_new (ioaio_ctx *ctx, int pri, int follow, int dircache, void *buf, int64_t len, int64_t count,
               eio_req **out)
{
  struct ioaio_dircache *dc = 0;
  if (!ctx || len <= 0 || count <= 0 || count > len
      || (follow & ~(IOAIO_SB_FOLLOW | IOAIO_SB_CACHED_ALWAYS | IOAIO_SB_CACHED_NEVER | IOAIO_SB_SEP_NL))
      || ((follow & IOAIO_SB_CACHED_ALWAYS) && (follow & IOAIO_SB_CACHED_NEVER)))
    return -EINVAL;
  if (dircache && !(dc = ioaio__dircache_lookup (ctx, dircache)))
    return -EINVAL;
  if (!buf)
    return -EFAULT;
  const char *p = buf, *end = p + len;
  int sep = follow & IOAIO_SB_SEP_NL ? '\n' : 0;
  for (int64_t i = 0; i < count; ++i)
    {
      const char *z = memchr (p, sep, (size_t)(end - p));
      if (!z)
        return -EINVAL;
      p = z + 1;
    }
  if (p != end)
    return -EINVAL;
  eio_req *req = ioaio__req_new (ctx, IOAIO_STATBATCH, EIO_CUSTOM, pri);
  if (!req)
    return -ENOMEM;
  req->feed = ioaio__exec_statbatch;
  req->ptr1 = buf; /* the caller's, not freed here */
  req->int2 = (long)count;
  req->int3 = follow;
  req->size = (size_t)len;
  req->dircache = dc;
  req->fmt_prog = 0;
  req->fmt_len = 0;
  *out = req;
  return 0;
}

static int
statbatch_submit (ioaio_ctx *ctx, eio_req *req)
{
  if (req->dircache)
    ioaio__dircache_batch (req->dircache, +1);
  return ioaio__submit (ctx, req);
}

IOAIO_API int
ioaio_req_statbatch (ioaio_ctx *ctx, int pri, int follow, int dircache, void *buf, int64_t len, int64_t count)
{
  eio_req *req;
  int r = statbatch_new (ctx, pri, follow, dircache, buf, len, count, &req);
  return r < 0 ? r : statbatch_submit (ctx, req);
}

IOAIO_API int
ioaio_req_statfmt (ioaio_ctx *ctx, int pri, int follow, int dircache, void *prog, int64_t prog_len, void *buf,
                   int64_t len, int64_t count)
{
  if (!prog || prog_len <= 0)
    return prog ? -EINVAL : -EFAULT;
  if (!ioaio__statfmt_valid (prog, (size_t)prog_len))
    return -EINVAL;
  eio_req *req;
  int r = statbatch_new (ctx, pri, follow, dircache, buf, len, count, &req);
  if (r < 0)
    return r;
  req->feed = ioaio__exec_statfmt;
  req->fmt_prog = prog; /* the caller's, like the paths */
  req->fmt_len = (size_t)prog_len;
  return statbatch_submit (ctx, req);
}

IOAIO_API int
ioaio_req_buf (ioaio_ctx *ctx, int kind, int pri, int fd, void *buf, int64_t len, int64_t offset)
{
  if (!ctx || (kind != IOAIO_READ && kind != IOAIO_WRITE) || len < 0)
    return -EINVAL;
  if (!buf && len > 0)
    return -EFAULT;
  if (fd < 0)
    return -EBADF;

  eio_req *req = ioaio__req_new (ctx, kind, kind == IOAIO_READ ? EIO_READ : EIO_WRITE, pri);
  if (!req)
    return -ENOMEM;
  /* The caller's buffer, which the JS side keeps alive until completion;
   * a zero-length read gets a dummy so libeio does not allocate one. */
  static char empty;
  req->ptr2 = buf ? buf : &empty;
  req->int1 = fd;
  req->size = (size_t)len;
  req->offs = offset < 0 ? -1 : (off_t)offset;
  return ioaio__submit (ctx, req);
}

IOAIO_API int
ioaio_req_ctl (ioaio_ctx *ctx, int kind, int pri, int fd, int64_t cmd, void *buf, int64_t arg)
{
  if (!ctx || (kind != IOAIO_FCNTL && kind != IOAIO_IOCTL))
    return -EINVAL;
  if (fd < 0)
    return -EBADF;
  eio_req *req = ioaio__req_new (ctx, kind, kind == IOAIO_FCNTL ? EIO_FCNTL : EIO_IOCTL, pri);
  if (!req)
    return -ENOMEM;
  /* libeio calls fcntl (int1, (int)int2, ptr2) / ioctl (int1, int2, ptr2):
   * an integer argument travels in the pointer, as the varargs ABI lets it.
   * (libeio's own eio_fcntl submits EIO_IOCTL by mistake; we set the type.) */
  req->int1 = fd;
  req->int2 = (long)cmd;
  req->ptr2 = buf ? buf : (void *)(intptr_t)arg;
  return ioaio__submit (ctx, req);
}

IOAIO_API int
ioaio_req_mem (ioaio_ctx *ctx, int kind, int pri, void *buf, int64_t len, int flags)
{
  int type;
  switch (kind)
    {
      case IOAIO_MLOCK:    type = EIO_MLOCK; break;
      case IOAIO_MLOCKALL: type = EIO_MLOCKALL; break;
      case IOAIO_MSYNC:    type = EIO_MSYNC; break;
      case IOAIO_MTOUCH:   type = EIO_MTOUCH; break;
      default: return -EINVAL;
    }
  if (!ctx || len < 0)
    return -EINVAL;
  if (kind != IOAIO_MLOCKALL && !buf && len > 0)
    return -EFAULT;
  eio_req *req = ioaio__req_new (ctx, kind, type, pri);
  if (!req)
    return -ENOMEM;
  if (kind != IOAIO_MLOCKALL)
    {
      /* the caller's memory, kept alive by the JS side until completion */
      req->ptr2 = buf;
      req->size = (size_t)len;
    }
  req->int1 = flags;
  return ioaio__submit (ctx, req);
}

static int
valid_nsec (int64_t ns)
{
  return (ns >= 0 && ns < 1000000000) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

IOAIO_API int
ioaio_req_time (ioaio_ctx *ctx, int kind, int pri, int wd, const char *path, int fd,
                int64_t atime_sec, int64_t atime_nsec, int64_t mtime_sec, int64_t mtime_nsec)
{
  eio_wd w;
  int err;

  if (!ctx || (kind != IOAIO_UTIME && kind != IOAIO_FUTIME))
    return -EINVAL;
  if (kind == IOAIO_UTIME && !path)
    return -EFAULT;
  if (kind == IOAIO_FUTIME && fd < 0)
    return -EBADF;
  if ((err = ioaio__resolve_wd (ctx, wd, &w)) < 0)
    return err;

  if (!valid_nsec (atime_nsec) || !valid_nsec (mtime_nsec))
    return -EINVAL;

  eio_req *req = ioaio__req_new (ctx, kind, EIO_CUSTOM, pri);
  if (!req)
    return -ENOMEM;
  req->feed = ioaio__exec_utime;
  req->wd = w;
  req->int1 = fd;
  req->offs = (off_t)atime_sec;
  req->int2 = (long)atime_nsec;
  req->int3 = (long)mtime_sec;
  req->nv1 = (double)mtime_nsec;
  return finish_build (ctx, req, kind == IOAIO_UTIME ? set_path (req, path) : 0);
}

IOAIO_API int
ioaio_req_misc (ioaio_ctx *ctx, int kind, int pri, double seconds)
{
  int type;

  if (!ctx)
    return -EINVAL;
  switch (kind)
    {
      case IOAIO_NOP:  type = EIO_NOP; break;
      case IOAIO_BUSY: type = EIO_BUSY; break;
      case IOAIO_SYNC: type = EIO_SYNC; break;
      default: return -EINVAL;
    }

  eio_req *req = ioaio__req_new (ctx, kind, type, pri);
  if (!req)
    return -ENOMEM;
  req->nv1 = seconds > 0 ? seconds : 0;
  return ioaio__submit (ctx, req);
}

IOAIO_API int
ioaio_req_copyfiles (ioaio_ctx *ctx, int pri, int wd, int wd2, const void *names, int64_t len, int64_t flags)
{
  eio_wd w, w2;
  int err;

  if (!ctx || len <= 0)
    return -EINVAL;
  if (!names)
    return -EFAULT;
  if (((const char *)names)[len - 1] != 0)
    return -EINVAL; /* the last name must end in NUL */
  if ((err = ioaio__resolve_wd (ctx, wd, &w)) < 0 || (err = ioaio__resolve_wd (ctx, wd2, &w2)) < 0)
    return err;

  eio_req *req = ioaio__req_new (ctx, IOAIO_COPYFILES, EIO_CUSTOM, pri);
  if (!req)
    return -ENOMEM;
  req->feed = ioaio__exec_copyfiles;
  req->wd = w;
  req->int3 = (long)w2;
  req->int2 = (long)flags;
  req->size = (size_t)len;
  if (!(req->ptr1 = malloc ((size_t)len)))
    return finish_build (ctx, req, -ENOMEM);
  memcpy (req->ptr1, names, (size_t)len);
  req->flags |= EIO_FLAG_PTR1_FREE;
  return finish_build (ctx, req, 0);
}
