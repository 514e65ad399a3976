// Which progress reporter a scan gets: the live ink view on a terminal,
// a plain line every second when stderr is not one, or none. ink costs about
// 0.8 s to import here, so it is imported only when the view is shown.
import { plainProgress } from './plain-progress.js';
import { reporterKind, type ProgressSource, type ProgressWhen, type Reporter } from './reporter.js';

// The single executable (scripts/sea.mjs defines this true) shows plain lines
// on a terminal too: ink 6 and yoga use top-level await, which its CommonJS
// bundle cannot hold. Elsewhere it is undefined.
declare const __IOAIO_SEA__: boolean | undefined;

export async function startProgress(when: ProgressWhen, src: ProgressSource, stderr: NodeJS.WriteStream): Promise<Reporter | undefined> {
  const kind = reporterKind(when, stderr);
  if (kind === 'none') return undefined;
  if (kind === 'plain') return plainProgress(src, stderr);
  if (typeof __IOAIO_SEA__ === 'boolean' && __IOAIO_SEA__) {
    return plainProgress(src, stderr); // esbuild drops the else branch there, and ink with it
  } else {
    const { inkProgress } = await import('./ink-progress.js');
    return inkProgress(src, stderr);
  }
}
