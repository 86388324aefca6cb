/**
 * Exit codes of `pfm`: 0 success; 2 an error (bad flag, unknown id, bad option, unreadable or
 * malformed file, dimension mismatch, diverged training); 130 interrupted by Ctrl-C (SIGINT) or
 * SIGTERM after writing a checkpoint. Node's own 1 means a crash (a bug in pfm or a plugin).
 */
export const EXIT_CODES = {
  ok: 0,
  error: 2,
  interrupted: 130,
} as const;
