// Hard links stay hard links: the first name of a source inode (dev+inode)
// to come along is copied; the others wait for that copy and are linked to
// it. Only inodes with more than one link are remembered.

interface Group {
  /** the first copy's destination path, once it is complete */
  dst: Buffer | undefined;
  /** names waiting for the first copy: each gets its path, or undefined
   *  when the first copy failed (and then copies itself) */
  waiting: ((dst: Buffer | undefined) => void)[];
  copying: boolean;
}

export class HardlinkMap {
  private readonly groups = new Map<string, Group>();

  /** 'copy' when this name is the one to copy (the others will wait for
   *  it), else a promise of the copy's path to link to (undefined: the copy
   *  failed; copy this one instead). */
  claim(dev: number, ino: number): 'copy' | Promise<Buffer | undefined> {
    const key = `${dev}:${ino}`;
    const g = this.groups.get(key);
    if (!g) {
      this.groups.set(key, { dst: undefined, waiting: [], copying: true });
      return 'copy';
    }
    if (g.dst) return Promise.resolve(g.dst);
    if (!g.copying) {
      g.copying = true;
      return 'copy';
    }
    return new Promise((resolve) => g.waiting.push(resolve));
  }

  /** The copy of (dev, ino) is done (dst) or failed (undefined). */
  settle(dev: number, ino: number, dst: Buffer | undefined): void {
    const g = this.groups.get(`${dev}:${ino}`);
    if (!g) return;
    g.dst = dst;
    g.copying = false;
    if (dst) {
      for (const w of g.waiting.splice(0)) w(dst);
      return;
    }
    // The next waiter copies instead; the rest keep waiting on it.
    const next = g.waiting.shift();
    if (next) {
      g.copying = true;
      next(undefined);
    }
  }
}
