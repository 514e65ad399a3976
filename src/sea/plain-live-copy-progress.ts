// The single executable's stand-in for cptree's ink view (see
// plain-live-progress.ts for why): the plain progress line on a terminal too.
import { plainCopyProgress, type CopySource } from '../ui/copy-progress.js';
import type { Reporter } from '../ui/progress.js';

export function inkCopyProgress(src: CopySource, stderr: NodeJS.WriteStream): Reporter {
  return plainCopyProgress(src, stderr);
}
