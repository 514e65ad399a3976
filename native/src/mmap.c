/* IO::AIO's mmap family, made safe for a JS Buffer over the mapping: a
 * koffi view of native memory cannot be detached, so a Buffer outlives any
 * munmap. ioaio_mmap_retire therefore does not unmap: it maps fresh
 * anonymous memory over the range in one MAP_FIXED call (atomic: no moment
 * where another thread could map into a hole), which drops the file's
 * pages and leaves the Buffer reading zeros; the address range itself is
 * unmapped (ioaio_munmap) once the Buffer is garbage collected.
 * madvise (Linux's madvise(2)) and mprotect are passed through (an
 * unaligned range is the kernel's EINVAL); msync and mtouch are requests (libeio's,
 * which widen the range to whole pages). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ioaio.h"

IOAIO_API void *
ioaio_mmap (int64_t len, int prot, int flags, int fd, int64_t offset, int *err)
{
  *err = 0;
  if (len <= 0)
    {
      *err = EINVAL;
      return 0;
    }
  void *p = mmap (0, (size_t)len, prot, flags, fd, (off_t)offset);
  if (p == MAP_FAILED)
    {
      *err = errno;
      return 0;
    }
  return p;
}

IOAIO_API int
ioaio_mmap_retire (void *addr, int64_t len)
{
  void *p = mmap (addr, (size_t)len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? -errno : 0;
}

IOAIO_API int
ioaio_munmap (void *addr, int64_t len)
{
  return munmap (addr, (size_t)len) < 0 ? -errno : 0;
}

IOAIO_API int
ioaio_madvise (void *addr, int64_t len, int advice)
{
  /* madvise(2), not posix_madvise: glibc's posix_madvise drops
   * MADV_DONTNEED (its POSIX meaning differs), and IO::AIO's MADV_ names
   * are Linux's (MADV_FREE, MADV_HUGEPAGE …) */
  return madvise (addr, (size_t)len, advice) < 0 ? -errno : 0;
}

IOAIO_API int
ioaio_mprotect (void *addr, int64_t len, int prot)
{
  return mprotect (addr, (size_t)len, prot) < 0 ? -errno : 0;
}

/* mremap(2) in place only, so no Buffer over the old range is ever left
 * over a hole: a grow that does not fit where it is fails (ENOMEM, for the
 * caller to move by copying if it may), and a shrink covers the tail with
 * anonymous memory instead of unmapping it. (MREMAP_DONTUNMAP, which would
 * allow a safe move, is refused for these mappings on this kernel.) flags
 * must be 0. Returns addr, or NULL with *err. */
IOAIO_API void *
ioaio_mremap (void *addr, int64_t old_len, int64_t new_len, int flags, int *err)
{
  *err = 0;
  if (new_len <= 0 || old_len <= 0 || flags)
    {
      *err = EINVAL;
      return 0;
    }
  if (new_len < old_len)
    {
      long page = sysconf (_SC_PAGESIZE);
      uintptr_t keep = ((uintptr_t)new_len + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
      if (keep < (uintptr_t)old_len
          && mmap ((char *)addr + keep, (size_t)old_len - keep, PROT_READ | PROT_WRITE,
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED)
        {
          *err = errno;
          return 0;
        }
      return addr;
    }
  void *p = mremap (addr, (size_t)old_len, (size_t)new_len, 0);
  if (p == MAP_FAILED)
    {
      *err = errno;
      return 0;
    }
  return p;
}
