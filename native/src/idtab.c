/* Small-integer ids for requests and working directories: the JS side never
 * holds a C pointer, so a stale or forged id can only miss, never crash. */
#include <errno.h>
#include <stdlib.h>
#include "internal.h"

int
idtab_put (struct idtab *t, void *p)
{
  uint32_t id;

  if (t->nfree)
    id = t->free_ids[--t->nfree];
  else
    {
      if (t->n == t->cap)
        {
          uint32_t cap = t->cap ? t->cap * 2 : 64;
          void **v = realloc (t->v, cap * sizeof *v);
          if (!v)
            return -ENOMEM;
          t->v = v;
          uint32_t *f = realloc (t->free_ids, cap * sizeof *f);
          if (!f)
            return -ENOMEM;
          t->free_ids = f;
          t->cap = cap;
        }
      id = t->n++;
    }

  t->v[id] = p;
  return (int)id;
}

void *
idtab_get (const struct idtab *t, int id)
{
  if (id < 0 || (uint32_t)id >= t->n)
    return 0;
  return t->v[id];
}

void
idtab_del (struct idtab *t, int id)
{
  if (!idtab_get (t, id))
    return;
  t->v[id] = 0;
  /* free_ids has room for every id ever handed out */
  t->free_ids[t->nfree++] = (uint32_t)id;
}

/* ---- handles: the ids the API hands out for walks, removals and
 * directory caches (from 1: 0 is "none"), each with its own lifecycle ---- */

int
idtab_handle_put (struct idtab *t, void *p)
{
  int id = idtab_put (t, p);
  return id < 0 ? id : id + 1;
}

void *
idtab_handle_get (const struct idtab *t, int id)
{
  return id > 0 ? idtab_get (t, id - 1) : 0;
}

/* -EINVAL for no such handle, -EBUSY while busy(p) (requests not polled
 * yet hold it), else removed and destroyed. */
int
idtab_handle_free (struct idtab *t, int id, int (*busy) (const void *), void (*destroy) (void *))
{
  void *p = idtab_handle_get (t, id);
  if (!p)
    return -EINVAL;
  if (busy (p))
    return -EBUSY;
  idtab_del (t, id - 1);
  destroy (p);
  return 0;
}

/* ioaio_ctx_free: every handle left (their requests have all been polled). */
void
idtab_destroy_all (struct idtab *t, void (*destroy) (void *))
{
  for (uint32_t i = 0; i < t->n; ++i)
    if (t->v[i])
      destroy (t->v[i]);
  idtab_free (t);
}

void
idtab_free (struct idtab *t)
{
  free (t->v);
  free (t->free_ids);
  t->v = 0;
  t->free_ids = 0;
  t->n = t->cap = t->nfree = 0;
}
