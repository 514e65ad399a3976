// The single executable's stand-in for rmtree's ink view (see
// plain-live-progress.ts for why): the plain progress line on a terminal too.
import type { RemoveSource, Reporter } from '../ui/reporter.js';
import { plainRemoveProgress } from '../ui/remove-progress.js';

export function inkRemoveProgress(src: RemoveSource, stderr: NodeJS.WriteStream): Reporter {
  return plainRemoveProgress(src, stderr);
}
