// What every command's run() does around its engine: Ctrl-C and the exit
// status (the pool's threads: jobs.ts). One place, so the five commands agree.
import { EXIT } from './exit.js';

/** Until the returned function is called, Ctrl-C (SIGINT) calls stop()
 *  instead of killing the process: the engine finishes what is in hand,
 *  the command prints its summary and exits 130. */
export function onInterrupt(stop: () => void): () => void {
  process.on('SIGINT', stop);
  return () => process.off('SIGINT', stop);
}

/** A run's exit status: 130 interrupted, 1 something failed, 24 (cptree,
 *  mvtree) source entries vanished meanwhile and nothing failed, else 0. */
export function exitStatus(r: { interrupted: boolean; failed: boolean; vanished?: boolean }): number {
  if (r.interrupted) return EXIT.INTERRUPTED;
  if (r.failed) return EXIT.SOME_FAILED;
  return r.vanished ? EXIT.VANISHED : EXIT.OK;
}
