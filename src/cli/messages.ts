import { IoaioError } from '../aio/index.js';

/** `tool: PATH: reason\n`, with the path's bytes as they are. */
export function errorLine(tool: string, path: Buffer, err: Error): Buffer {
  const reason = err instanceof IoaioError ? err.reason : err.message;
  return Buffer.concat([Buffer.from(`${tool}: `), path, Buffer.from(`: ${reason}\n`)]);
}
