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

void
idtab_free (struct idtab *t)
{
  free (t->v);
  free (t->free_ids);
  t->v = 0;
  t->free_ids = 0;
  t->n = t->cap = t->nfree = 0;
}
