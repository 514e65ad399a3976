/* libeio is meant to be embedded: its eio.c is compiled here, inside our
 * library, with our EIO_REQ_MEMBERS. Nothing of libeio is exported (the build
 * uses -fvisibility=hidden); only ioaio_* symbols leave the library. */
#include "internal.h"
#include "eio.c"

int
ioaio__wd_fd (eio_wd wd)
{
  return WD2FD (wd);
}
