// The single executable's stand-in for the ink view: ink 6 and yoga-layout
// use top-level await, which a CommonJS bundle (the only kind Node 20 runs
// as a single executable) cannot hold. On a terminal it shows the plain
// progress line instead (docs/install.md: "Single executable").
import { plainProgress } from '../ui/plain-progress.js';
import type { ProgressSource, Reporter } from '../ui/reporter.js';

export function inkProgress(src: ProgressSource, stderr: NodeJS.WriteStream): Reporter {
  return plainProgress(src, stderr);
}
