import { IoaioError } from '../aio/index.js';
import { colorsFor } from './colors.js';
import { pathJson } from './stat-json.js';

/** `tool:` as it starts a diagnostic on stderr: bold red on a terminal, so errors stand out among paths. */
export function toolPrefix(tool: string, stderr: { isTTY?: boolean } = process.stderr): string {
  const c = colorsFor(stderr);
  return c.bold(c.red(`${tool}:`));
}

/** The reason of an error line; a copy's also names the call that failed
 *  (`write: no space left on device`), its path the side. */
function reasonOf(err: Error): string {
  if (!(err instanceof IoaioError)) return err.message;
  return err.side ? `${err.syscall}: ${err.reason}` : err.reason;
}

/** `tool: PATH: reason\n`, with the path's bytes as they are. */
export function errorLine(tool: string, path: Buffer, err: Error): Buffer {
  return Buffer.concat([Buffer.from(`${toolPrefix(tool)} `), path, Buffer.from(`: ${reasonOf(err)}\n`)]);
}

/** The --json event of an error: { event, path, error, code[, syscall] }. */
export function errorJson(path: Buffer, err: Error): string {
  const e = err as Partial<IoaioError>;
  const o: Record<string, unknown> = { event: 'error', ...pathJson(path), error: err instanceof IoaioError ? err.reason : err.message, code: e.code };
  if (e.side) o.syscall = e.syscall;
  return JSON.stringify(o) + '\n';
}
