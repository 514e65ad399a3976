/** A queue with O(1) push and shift, and removal by identity. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(v: T): void {
    this.items.push(v);
  }

  shift(): T | undefined {
    while (this.head < this.items.length) {
      const v = this.items[this.head];
      this.items[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Leaves a hole; shift() skips it. */
  remove(v: T): boolean {
    const i = this.items.indexOf(v, this.head);
    if (i < 0) return false;
    this.items[i] = undefined;
    return true;
  }
}
