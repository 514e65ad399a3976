// Results of requests that finish in any order, handed out in input order:
// result n waits until 0..n-1 are out. The window bounds memory: a caller
// issues request n only while n - next() < window (see canIssue); the
// window is asked each time, so it can follow -j auto's limit.
export class Ordered<T> {
  private readonly held = new Map<number, T>();
  private nextOut = 0;

  constructor(
    private readonly window: () => number,
    private readonly emit: (value: T, seq: number) => void,
  ) {}

  /** Whether request seq may start without the window overflowing. */
  canIssue(seq: number): boolean {
    return seq - this.nextOut < this.window();
  }

  /** The sequence number the output waits for. */
  next(): number {
    return this.nextOut;
  }

  /** Result of request seq; emits it and every held one that can follow. */
  put(seq: number, value: T): void {
    if (seq !== this.nextOut) {
      this.held.set(seq, value);
      return;
    }
    this.emit(value, seq);
    this.nextOut++;
    while (this.held.has(this.nextOut)) {
      const v = this.held.get(this.nextOut) as T;
      this.held.delete(this.nextOut);
      this.emit(v, this.nextOut);
      this.nextOut++;
    }
  }

  /** Results waiting for an earlier one. */
  get pending(): number {
    return this.held.size;
  }
}
