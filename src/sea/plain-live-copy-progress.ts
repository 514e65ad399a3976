// The single executable's stand-in for cptree's ink view (see
// plain-live-progress.ts for why): the plain progress line on a terminal too.
import { plainCopyProgress } from '../ui/copy-progress.js';
import type { CopySource, Reporter } from '../ui/reporter.js';

export function inkCopyProgress(src: CopySource, stderr: NodeJS.WriteStream): Reporter {
  return plainCopyProgress(src, stderr);
}
