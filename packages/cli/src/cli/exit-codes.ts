/**
 * Exit codes of `pfm`: 0 success; 2 an error (bad flag, unknown id, bad option, unreadable or
 * malformed file, dimension mismatch, diverged training); 130 interrupted by Ctrl-C (SIGINT) and
 * 143 stopped by SIGTERM (128 + the signal's number, as a shell reports a process the signal
 * killed). Node's own 1 means a crash (a bug in pfm or a plugin).
 */
export const EXIT_CODES = {
  ok: 0,
  error: 2,
  interrupted: 130,
  terminated: 143,
} as const;
