// Open directory handles for requests on paths below one root, as
// [handle, name]: a path's lookup then starts at its directory, not at the
// root again (over NFS or FUSE, each component of a path is a lookup the
// server may be asked for). A list copies or moves a directory's entries
// close together, so the handles of the directories used last are kept
// open (at most `keep`, none that a request in flight still uses).
import { aio, type PathArg, type Wd } from '../aio/index.js';
import { join } from '../shard/partition.js';

const SLASH = 0x2f;

interface Entry {
  /** undefined: it could not be opened (the request gets the whole path, and reports what is wrong) */
  wd: Promise<Wd | undefined>;
  refs: number;
}

export class DirHandles {
  /** in order of last use, the oldest first */
  private readonly open = new Map<string, Entry>();

  constructor(
    private readonly root: Buffer,
    private readonly keep = 64,
  ) {}

  /** fn with rel (below the root) as [its directory's handle, its name]. */
  at<T>(rel: Buffer, fn: (p: PathArg) => Promise<T>): Promise<T> {
    const i = rel.lastIndexOf(SLASH);
    const dir = i < 0 ? Buffer.alloc(0) : rel.subarray(0, i);
    return this.of(dir, (wd) => fn(wd ? [wd, rel.subarray(i + 1)] : join(this.root, rel)));
  }

  /** fn with the handle of the directory dir (below the root; undefined: it could not be opened). */
  async of<T>(dir: Buffer, fn: (wd: Wd | undefined) => Promise<T>): Promise<T> {
    const key = dir.toString('latin1');
    let e = this.open.get(key);
    if (e) this.open.delete(key);
    else e = { wd: aio.dirHandle(join(this.root, dir)).catch(() => undefined), refs: 0 };
    this.open.set(key, e);
    e.refs++;
    try {
      return await fn(await e.wd);
    } finally {
      e.refs--;
      this.trim();
    }
  }

  /** Every handle closes (once its requests are done). */
  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((e) => e.wd.then((wd) => wd?.close())));
  }

  private trim(): void {
    if (this.open.size <= this.keep) return;
    for (const [key, e] of this.open) {
      if (this.open.size <= this.keep) return;
      if (e.refs > 0) continue;
      this.open.delete(key);
      void e.wd.then((wd) => wd?.close());
    }
  }
}
