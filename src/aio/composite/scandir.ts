// IO::AIO's aio_scandir: a directory's entries split into the directories one
// can recurse into and everything else (symlinks to directories included).
import { toPath } from '../args.js';
import { argError } from '../errors.js';
import { DT_DIR, DT_UNKNOWN, READDIR_DIRS_FIRST } from '../dirent.js';
import { lstat, readdirx } from '../requests/path.js';
import type { PathArg, ReqOptions } from '../types.js';
import { defineComposite, eachLimit } from './define-composite.js';

export interface ScandirResult<N = string> {
  dirs: N[];
  nondirs: N[];
}

/** base + '/' + name, keeping [wd, rel] pairs and byte names intact. */
export function joinPath(base: PathArg, name: string | Buffer): PathArg {
  if (Array.isArray(base)) {
    const [wd, rel] = base as unknown as readonly [unknown, string | Uint8Array];
    return [wd, joinBytes(rel, name)] as unknown as PathArg;
  }
  return joinBytes(base as string | Uint8Array, name) as PathArg;
}

function joinBytes(base: string | Uint8Array, name: string | Buffer): string | Buffer {
  if (typeof base === 'string' && typeof name === 'string') return base.endsWith('/') ? base + name : `${base}/${name}`;
  const b = Buffer.from(base as Uint8Array | string);
  return Buffer.concat([b, b[b.length - 1] === 0x2f ? Buffer.alloc(0) : Buffer.from('/'), Buffer.from(name)]);
}

async function scan(path: PathArg, maxreq: number, opts: ReqOptions): Promise<ScandirResult<string | Buffer>> {
  const { entries } = await readdirx(path, READDIR_DIRS_FIRST, opts);
  const dirs: (string | Buffer)[] = [];
  const nondirs: (string | Buffer)[] = [];
  const unknown: (string | Buffer)[] = [];
  for (const e of entries) {
    if (e.type === DT_DIR) dirs.push(e.name);
    else if (e.type === DT_UNKNOWN) unknown.push(e.name);
    else nondirs.push(e.name);
  }
  await eachLimit(unknown, maxreq, async (name) => {
    const st = await lstat(joinPath(path, name), { signal: opts.signal });
    (st.isDirectory() ? dirs : nondirs).push(name);
  });
  return { dirs, nondirs };
}

/** maxreq bounds the lstat requests for entries whose type readdir did not
 *  give; undefined or <= 0 chooses the default, 4, as IO::AIO does. */
export const scandir = defineComposite<[path: PathArg, maxreq?: number], ScandirResult<string | Buffer>>((a, opts) => {
  toPath(a[0]);
  const given = a[1] ?? 0;
  if (typeof given !== 'number' || !Number.isInteger(given)) throw argError('maxreq', 'an integer (<= 0: the default, 4)', given);
  const maxreq = given > 0 ? given : 4;
  return scan(a[0] as PathArg, maxreq, opts);
});
