/** Exit statuses shared by every ioaio command (documented in --help). */
export const EXIT = {
  OK: 0,
  SOME_FAILED: 1,
  USAGE: 2,
  /** cptree, mvtree: nothing failed, but source entries vanished during the
   *  run (removed by someone else), as rsync's 24 */
  VANISHED: 24,
  INTERRUPTED: 130,
} as const;
