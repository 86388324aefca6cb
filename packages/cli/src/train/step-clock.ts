/**
 * A step longer than this (milliseconds, measured) makes a run hand its host a snapshot after
 * every completed step: a signal during the next step may then not be answered within the grace
 * period, and the host writes that snapshot instead. Shorter steps end well within the grace
 * period, so their snapshots would only cost time.
 */
export const LONG_STEP_MS = 1000;

/** Measures the wall time of each training step. */
export interface StepClock {
  /** Records that a step just ended (the first step is measured from the clock's creation). */
  stepEnded(): void;
  /** Whether the last step took longer than {@link LONG_STEP_MS}. */
  readonly longSteps: boolean;
}

/** A step clock reading `now` (milliseconds; `performance.now` by default, a fake clock in tests). */
export function stepClock(now: () => number = () => performance.now()): StepClock {
  let last = now();
  let long = false;
  return {
    stepEnded() {
      const t = now();
      long = t - last > LONG_STEP_MS;
      last = t;
    },
    get longSteps() {
      return long;
    },
  };
}
