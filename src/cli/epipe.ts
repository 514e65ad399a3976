/** A reader that went away (`cmd | head`) ends output quietly, for every
 *  write to the stream, including --help and --version. */
export function quietOnEpipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}
