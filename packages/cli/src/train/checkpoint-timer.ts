/** When the wall-time checkpoints of `pfm train` are due. */
export interface CheckpointTimer {
  /** Whether `everyMinutes` have passed since the start or the last `written()`; never when off. */
  due(): boolean;
  /** Records that a checkpoint was just written. */
  written(): void;
}

/**
 * A timer for a checkpoint every `everyMinutes` minutes of wall time (0: never), read from
 * `now` (milliseconds; `Date.now` by default, a fake clock in tests). So a run killed without
 * warning (kill -9, a crash, a lost machine) loses at most that much work.
 */
export function checkpointTimer(everyMinutes: number, now: () => number = Date.now): CheckpointTimer {
  const everyMs = everyMinutes * 60_000;
  let last = now();
  return {
    due: () => everyMs > 0 && now() - last >= everyMs,
    written: () => {
      last = now();
    },
  };
}
