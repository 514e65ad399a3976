// pstat --summary: du/gdu questions answered from a path list. Counts by
// type, bytes and allocated bytes, a size histogram in powers of two, the
// oldest and newest mtime. Adding a path is O(1); memory is constant.
import type { Stats } from '../../aio/index.js';
import { concurrencyText, type ConcurrencySummaryOrFixed } from '../../cli/jobs.js';

const S_IFMT = 0o170000;
const TYPES: Record<number, string> = {
  0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink', 0o010000: 'fifo',
  0o140000: 'socket', 0o020000: 'char', 0o060000: 'block',
};

export interface SummaryJson {
  paths: number;
  errors: number;
  types: Record<string, number>;
  bytes: number;
  allocatedBytes: number;
  /** [upper bound exclusive, count]: sizes 0, <2, <4, <8 … (regular files) */
  sizeHistogram: [number, number][];
  oldestMtime: { path: string; sec: number; nsec: number } | null;
  newestMtime: { path: string; sec: number; nsec: number } | null;
  /** -j: fixed, or auto with where it started, ended and went */
  concurrency?: ConcurrencySummaryOrFixed;
}

interface Extreme {
  /** the path's bytes, or a latin1 string of them */
  path: Buffer | string;
  sec: number;
  nsec: number;
}

export class Summary {
  private paths = 0;
  private errors = 0;
  private readonly types = new Map<string, number>();
  private bytes = 0;
  private allocated = 0;
  /** histogram[0] counts empty files, histogram[k] sizes in [2^(k-1), 2^k) */
  private readonly histogram: number[] = [];
  private oldest: Extreme | undefined;
  private newest: Extreme | undefined;
  /** set by the run once the work is done (undefined: no path was read) */
  concurrency: ConcurrencySummaryOrFixed | undefined;

  /** path: its bytes, or a latin1 string of them (one char per byte). */
  add(path: Buffer | string, st: Stats): void {
    this.paths++;
    const type = TYPES[st.mode & S_IFMT] ?? 'unknown';
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    this.allocated += st.blocks * 512;
    if (type === 'file') {
      this.bytes += st.size;
      const k = st.size === 0 ? 0 : Math.floor(Math.log2(st.size)) + 1;
      this.histogram[k] = (this.histogram[k] ?? 0) + 1;
    }
    const { mtimeSec: sec, mtimeNsec: nsec } = st;
    if (!this.oldest || sec < this.oldest.sec || (sec === this.oldest.sec && nsec < this.oldest.nsec)) this.oldest = { path, sec, nsec };
    if (!this.newest || sec > this.newest.sec || (sec === this.newest.sec && nsec > this.newest.nsec)) this.newest = { path, sec, nsec };
  }

  addError(): void {
    this.errors++;
  }

  toJSON(): SummaryJson {
    const text = (p: Buffer | string) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p).toString();
    const ext = (e: Extreme | undefined) => (e ? { path: text(e.path), sec: e.sec, nsec: e.nsec } : null);
    const sizeHistogram: [number, number][] = [];
    for (let k = 0; k < this.histogram.length; k++) if (this.histogram[k]) sizeHistogram.push([2 ** k, this.histogram[k]!]);
    return {
      paths: this.paths,
      errors: this.errors,
      types: Object.fromEntries([...this.types].sort(([a], [b]) => (a < b ? -1 : 1))),
      bytes: this.bytes,
      allocatedBytes: this.allocated,
      sizeHistogram,
      oldestMtime: ext(this.oldest),
      newestMtime: ext(this.newest),
      ...(this.concurrency ? { concurrency: this.concurrency } : {}),
    };
  }

  /** Human-readable lines, for stderr. */
  toText(tool: string): string {
    const j = this.toJSON();
    const types = Object.entries(j.types).map(([t, n]) => `${n} ${t}`).join(', ') || 'none';
    const iso = (e: SummaryJson['oldestMtime']) => (e ? `${new Date(e.sec * 1000).toISOString().replace('.000Z', 'Z')} ${e.path}` : '-');
    const lines = [
      `${tool}: ${j.paths} paths (${types}), ${j.errors} errors`,
      `${tool}: ${j.bytes} bytes in regular files, ${j.allocatedBytes} bytes allocated`,
      `${tool}: oldest mtime ${iso(j.oldestMtime)}`,
      `${tool}: newest mtime ${iso(j.newestMtime)}`,
      ...j.sizeHistogram.map(([upper, n]) => `${tool}:   size < ${upper === 1 ? '1 (empty)' : upper}: ${n}`),
      ...(j.concurrency ? [`${tool}: ${concurrencyText(j.concurrency)}`] : []),
    ];
    return lines.join('\n') + '\n';
  }
}
