/** Exit statuses shared by every ioaio command (documented in --help). */
export const EXIT = {
  OK: 0,
  SOME_FAILED: 1,
  USAGE: 2,
  INTERRUPTED: 130,
} as const;
