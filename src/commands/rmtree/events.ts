// Where rmtree's per-entry events go: nothing (the default, like rm), lines
// "remove PATH" / "rmdir PATH" (-v, -n), or NDJSON (--json); errors to
// stderr as `rmtree: PATH: reason` (and, with --json, as events too).
import type { ByteWriter } from '../../cli/byte-writer.js';
import { errorJson, errorLine, toolPrefix } from '../../cli/messages.js';
import { pathJson } from '../../cli/stat-json.js';
import type { RmEntryType } from '../../aio/index.js';
import type { RemoveAction, RemoveEvents } from '../../remove/index.js';

const PREFIX: Record<RemoveAction, Buffer> = { remove: Buffer.from('remove '), rmdir: Buffer.from('rmdir ') };
const LEFT = 'on another filesystem';

export function makeEvents(mode: 'none' | 'lines' | 'json', writer: ByteWriter, stderr: NodeJS.WritableStream, tool = 'rmtree'): RemoveEvents {
  const json = mode === 'json';
  const error = (path: Buffer, err: Error) => {
    stderr.write(errorLine(tool, path, err));
    if (json) writer.text(errorJson(path, err));
  };
  const left = (path: Buffer) => {
    stderr.write(Buffer.concat([Buffer.from(`${toolPrefix(tool)} `), path, Buffer.from(`: ${LEFT}: left in place\n`)]));
    if (json) writer.text(JSON.stringify({ event: 'left', type: 'dir', ...pathJson(path), reason: LEFT }) + '\n');
  };
  if (mode === 'lines') {
    return {
      wantsEntries: true,
      entry(action: RemoveAction, _type: RmEntryType, path: Buffer) {
        writer.line(PREFIX[action], path, 0, path.length, false, 0x0a);
      },
      error,
      left,
    };
  }
  if (json) {
    return {
      wantsEntries: true,
      entry(action: RemoveAction, type: RmEntryType, path: Buffer) {
        writer.text(JSON.stringify({ event: action, type, ...pathJson(path) }) + '\n');
      },
      error,
      left,
    };
  }
  return { wantsEntries: false, entry() {}, error, left };
}
