import { IoaioError } from '../aio/index.js';
import { colorsFor } from './colors.js';

/** `tool:` as it starts a diagnostic on stderr: bold red on a terminal, so errors stand out among paths. */
export function toolPrefix(tool: string, stderr: { isTTY?: boolean } = process.stderr): string {
  const c = colorsFor(stderr);
  return c.bold(c.red(`${tool}:`));
}

/** `tool: PATH: reason\n`, with the path's bytes as they are. */
export function errorLine(tool: string, path: Buffer, err: Error): Buffer {
  const reason = err instanceof IoaioError ? err.reason : err.message;
  return Buffer.concat([Buffer.from(`${toolPrefix(tool)} `), path, Buffer.from(`: ${reason}\n`)]);
}
