// Where mvtree's per-entry events go: nothing (the default, like mv), lines
// (-v, --dry-run: `rename SRC -> DST`, `keep SRC`, and across filesystems
// cptree's `copy PATH` lines then rmtree's `remove PATH` lines), or NDJSON
// (--json); errors to stderr as `mvtree: PATH: reason`.
import { ByteWriter } from '../../cli/byte-writer.js';
import { errorJson, errorLine } from '../../cli/messages.js';
import { pathJson } from '../../cli/stat-json.js';
import type { MoveEvents } from '../../move/index.js';
import { makeEvents as copyEvents } from '../cptree/events.js';
import { makeEvents as removeEvents } from '../rmtree/events.js';

const RENAME = Buffer.from('rename ');
const ARROW = Buffer.from(' -> ');
const KEEP = Buffer.from('keep ');

/** The run's stdout writer and its events, by the options (-v, --dry-run, --json). */
export function runEvents(cfg: { json: boolean; verbose: boolean; dryRun: boolean }, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): { writer: ByteWriter; events: MoveEvents } {
  // Output that nobody reads any more (EPIPE) ends quietly; the move goes on.
  const writer = new ByteWriter(stdout, () => {}, () => {});
  const mode = cfg.json ? 'json' : cfg.verbose || cfg.dryRun ? 'lines' : 'none';
  return { writer, events: makeEvents(mode, writer, stderr) };
}

export function makeEvents(mode: 'none' | 'lines' | 'json', writer: ByteWriter, stderr: NodeJS.WritableStream): MoveEvents {
  const json = mode === 'json';
  return {
    wantsEntries: mode !== 'none',
    renamed(src, dst) {
      if (json) writer.text(JSON.stringify({ event: 'rename', ...prefixed('src', src), ...pathJson(dst) }) + '\n');
      else writer.line(RENAME, Buffer.concat([src, ARROW, dst]), 0, src.length + ARROW.length + dst.length, false, 0x0a);
    },
    kept(src, dst) {
      if (json) writer.text(JSON.stringify({ event: 'keep', ...prefixed('src', src), ...pathJson(dst) }) + '\n');
      else writer.line(KEEP, src, 0, src.length, false, 0x0a);
    },
    error(path, err) {
      stderr.write(errorLine('mvtree', path, err));
      if (json) writer.text(errorJson(path, err));
    },
    copy: (root) => copyEvents(mode, root, writer, stderr, 'mvtree'),
    remove: removeEvents(mode, writer, stderr, 'mvtree'),
  };
}

/** pathJson's field under another name ({ src } or { src_b64 }). */
function prefixed(name: string, p: Buffer): Record<string, string> {
  const o = pathJson(p) as Record<string, string>;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/^path/, name), v]));
}
