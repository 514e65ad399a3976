// Output of raw bytes in large chunks: lines are never split across writes'
// boundaries in a way that interleaves (one writer, whole lines per chunk),
// names stay byte-exact, and a full pipe pauses the producer.
const CHUNK = 256 * 1024;
/** written chunks kept for reuse */
const SPARE_MAX = 4;
/** blocks at least this big are written from the lender's buffer */
const LEND_MIN = 32 * 1024;

export class ByteWriter {
  private chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK);
  private pos = 0;
  /** The reader went away (EPIPE): output is over, quietly. */
  closed = false;
  private flushScheduled = false;
  /** Output streams: whatever a turn of the event loop wrote leaves at its
   *  end, in one write (Perf: batched per turn, not per line). */
  private readonly flushSoon = () => {
    this.flushScheduled = false;
    this.flush();
  };

  private written(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushSoon);
  }

  constructor(
    private readonly out: NodeJS.WritableStream,
    /** told true when the stream is full, false when it drained */
    private readonly backpressure: (full: boolean) => void,
    private readonly onClosed: () => void,
  ) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
        this.closed = true;
        this.onClosed();
      } else throw err;
    });
  }

  /** prefix + src[start, end) + (slash ? '/' : '') + term */
  line(prefix: Buffer, src: Buffer, start: number, end: number, slash: boolean, term: number): void {
    const need = prefix.length + (end - start) + 2;
    if (this.pos + need > CHUNK) this.flush();
    if (need > CHUNK) {
      // A path longer than a chunk (PATH_MAX is 4096; only for odd callers).
      this.push(Buffer.concat([prefix, src.subarray(start, end), Buffer.from(slash ? [0x2f, term] : [term])]));
      return;
    }
    const c = this.chunk;
    let p = this.pos;
    if (prefix.length > 16) p += prefix.copy(c, p);
    else for (let i = 0; i < prefix.length; i++) c[p++] = prefix[i]!;
    // Perf: names are short; a byte loop beats Buffer#copy's call overhead.
    for (let i = start; i < end; i++) c[p++] = src[i]!;
    if (slash) c[p++] = 0x2f;
    c[p++] = term;
    this.pos = p;
    this.written();
  }

  /** Ready-made lines. With release, src is lent: a big block is written
   *  from it as it is and release is called once it has been (Perf: no copy,
   *  no new buffer); anything else is copied and released at once. */
  block(src: Buffer, start: number, end: number, release?: () => void): void {
    const n = end - start;
    if (release && n >= LEND_MIN) {
      this.flush();
      this.push(src.subarray(start, end), release);
      return;
    }
    if (this.pos + n > CHUNK) this.flush();
    if (n > CHUNK) this.push(Buffer.from(src.subarray(start, end)));
    else {
      src.copy(this.chunk, this.pos, start, end);
      this.pos += n;
      this.written();
    }
    release?.();
  }

  /** A string of bytes, one char per byte (latin1). */
  latin1(s: string): void {
    const need = s.length;
    if (this.pos + need > CHUNK) this.flush();
    if (need > CHUNK) return this.push(Buffer.from(s, 'latin1'));
    this.pos += this.chunk.write(s, this.pos, 'latin1');
    this.written();
  }

  /** A whole string line (JSON and other text modes). */
  text(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.pos + need > CHUNK) this.flush();
    if (need > CHUNK) return this.push(Buffer.from(s));
    this.pos += this.chunk.write(s, this.pos);
    this.written();
  }

  flush(): void {
    if (this.pos === 0) return;
    const done = this.chunk;
    const full = done.subarray(0, this.pos);
    // The stream keeps the old chunk until written; then it is ours again.
    // Perf: a long listing reuses two or three chunks instead of leaving one
    // behind for the GC per flush (peak RSS on /usr's 141k entries).
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
    this.pos = 0;
    this.push(full, () => {
      if (this.spare.length < SPARE_MAX) this.spare.push(done);
    });
  }

  private readonly spare: Buffer[] = [];

  private waitingForDrain = false;

  private push(b: Buffer, written?: () => void): void {
    if (this.closed) return written?.();
    if (!this.out.write(b, written) && !this.waitingForDrain) {
      // One listener however many writes the full stream takes meanwhile.
      this.waitingForDrain = true;
      this.backpressure(true);
      this.out.once('drain', () => {
        this.waitingForDrain = false;
        this.backpressure(false);
      });
    }
  }

  /** Flushes and resolves once everything is handed to the OS. */
  end(): Promise<void> {
    this.flush();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }
}
