// Working-directory handles (IO::AIO's aio_wd): an open directory that
// requests can name paths relative to, as `[wd, 'name']`. Over NFS this saves
// re-walking the directory's path for every request, and it keeps working if
// the directory is renamed.
import { constants } from 'node:os';
import { IoaioError } from './errors.js';

export class Wd {
  private refs = 0;
  private closing: (() => void) | undefined;
  private closePromise: Promise<void> | undefined;
  private isClosed = false;

  /** @internal created by aio.wd() */
  constructor(
    /** id in the native context's table */
    readonly id: number,
    /** the path it was opened with, for messages */
    readonly path: string,
    private readonly closer: (wd: Wd) => Promise<void>,
  ) {}

  /** Checks the handle is open and returns its id. */
  use(): number {
    if (this.isClosed || this.closing) {
      throw new IoaioError({ errno: constants.errno.EBADF, syscall: 'wd', path: this.path, message: 'directory handle is closed' });
    }
    return this.id;
  }

  /** @internal a request holds the handle open */
  retain(): void {
    this.refs++;
  }

  /** @internal */
  release(): void {
    if (--this.refs === 0 && this.closing) this.closing();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes the directory once the requests using it have finished; every
   *  call returns the same promise. */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      if (this.refs > 0) await new Promise<void>((resolve) => (this.closing = resolve));
      else this.closing = () => {};
      await this.closer(this);
      this.isClosed = true;
    })();
    return this.closePromise;
  }
}

/** IO::AIO::CWD: the process's working directory as a handle. `[CWD, 'name']`
 *  is 'name' itself (resolved against the working directory at the time of
 *  the request, as a plain relative path is); close() does nothing. */
export const CWD: Wd = new (class extends Wd {
  override close(): Promise<void> {
    return Promise.resolve();
  }
})(0, '.', async () => {});
