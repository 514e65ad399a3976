// The resume marker's life around one directory copy (cptree's; mvtree's
// cross-device move keeps its own, with the removal's state in it): written
// beside the root before its first entry is copied, removed once the copy
// is whole. A run that finds it (src/copy/plan.ts) continues the copy.
import { removeMarker, writeMarker } from './marker.js';
import type { CopyPlan, CopyStart } from './plan.js';

/** What a resumed copy skips: entries already whole in the root (an
 *  interrupted run wrote each by rename only when complete) by -u's rule,
 *  or by their bytes where that run merged into entries not its own. */
export function resumeRule(start: CopyStart, asked: { update: boolean; checksum: boolean }): { update: boolean; checksum: boolean } {
  const checksum = asked.checksum || start.resume === 'checksum';
  return { checksum, update: !checksum && (asked.update || start.resume === 'update') };
}

export interface ResumeMarker {
  /** The copy ended: whole (no error, not stopped) removes the marker. */
  finish(whole: boolean): void;
}

/** Writes tool's marker beside plan.dst for a directory copy (not in a dry
 *  run). Where it cannot be written (a parent that is not writable), the
 *  copy goes on without one: a later run copies again what it finds changed. */
export function beginResumable(plan: CopyPlan & CopyStart, tool: string, o: { dryRun: boolean; sync: boolean; opts: string; tag?: string }): ResumeMarker {
  if (!plan.srcIsDir || o.dryRun) return { finish() {} };
  try {
    writeMarker(plan.dst, { tool, src: plan.absSrc, dev: plan.dev, ino: plan.ino, merge: plan.merge, opts: o.opts }, o.sync, o.tag);
  } catch {
    return { finish() {} };
  }
  return {
    finish(whole) {
      if (whole) removeMarker(plan.dst, o.tag);
    },
  };
}
