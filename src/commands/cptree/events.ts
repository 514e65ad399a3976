// Where cptree's per-entry events go: nothing (the default, like cp), lines
// "ACTION PATH" (-v, -n), or NDJSON (--json); errors to stderr as
// `cptree: PATH: reason` (and, with --json, as events too).
import type { ByteWriter } from '../../cli/byte-writer.js';
import { errorJson, errorLine } from '../../cli/messages.js';
import { pathJson } from '../../cli/stat-json.js';
import type { Action, CopyEvents, EntryType } from '../../copy/index.js';
import { stripSlashes } from '../../remove/index.js';

const SLASH = Buffer.from('/');
const VANISHED = new Error('vanished from the source before it was copied');
const DELETE = Buffer.from('delete ');
const PREFIX: Record<Action, Buffer> = { copy: Buffer.from('copy '), link: Buffer.from('link '), mkdir: Buffer.from('mkdir '), skip: Buffer.from('skip '), keep: Buffer.from('keep ') };

/** The destination path of an entry: the copy's root + its path below it. */
function destPath(root: Buffer, rel: Buffer): Buffer {
  return rel.length === 0 ? root : Buffer.concat([root, SLASH, rel[rel.length - 1] === 0x2f ? rel.subarray(0, rel.length - 1) : rel]);
}

export function makeEvents(mode: 'none' | 'lines' | 'json', dstRoot: string | Buffer, writer: ByteWriter, stderr: NodeJS.WritableStream, tool = 'cptree'): CopyEvents {
  const root = stripSlashes(Buffer.from(dstRoot));
  const error = (path: Buffer, err: Error) => {
    stderr.write(errorLine(tool, path, err));
    if (mode === 'json') writer.text(errorJson(path, err));
  };
  const vanished = (path: Buffer) => {
    stderr.write(errorLine(tool, path, VANISHED));
    if (mode === 'json') writer.text(JSON.stringify({ event: 'vanished', ...pathJson(path) }) + '\n');
  };
  if (mode === 'lines') {
    return {
      wantsEntries: true,
      entry(action: Action, _type: EntryType, rel: Buffer) {
        if (action === 'skip') return;
        const p = destPath(root, rel);
        writer.line(PREFIX[action], p, 0, p.length, false, 0x0a);
      },
      deleted(_type: EntryType, path: Buffer) {
        writer.line(DELETE, path, 0, path.length, false, 0x0a);
      },
      error,
      vanished,
    };
  }
  if (mode === 'json') {
    return {
      wantsEntries: true,
      entry(action: Action, type: EntryType, rel: Buffer, bytes: number) {
        const o: Record<string, unknown> = { event: action, type, ...pathJson(destPath(root, rel)) };
        if (type === 'file' && action === 'copy') o.bytes = bytes;
        writer.text(JSON.stringify(o) + '\n');
      },
      deleted(type: EntryType, path: Buffer) {
        writer.text(JSON.stringify({ event: 'delete', type, ...pathJson(path) }) + '\n');
      },
      error,
      vanished,
    };
  }
  return { wantsEntries: false, entry() {}, error, vanished };
}
