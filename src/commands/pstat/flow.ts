// pstat's flow control: the input loop waits here while the window of
// requests is full or stdout is slow; every finished batch, drained write or
// Ctrl-C wakes it.
export class Flow {
  /** stdout is full (the writer's backpressure) */
  full = false;
  /** no more input is taken: Ctrl-C, or nobody reads stdout any more */
  stopped = false;
  private waiter: (() => void) | undefined;

  wait(): Promise<void> {
    return new Promise<void>((resolve) => (this.waiter = resolve));
  }

  readonly wake = (): void => {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  };
}
