// Progress reports every `progressEvery` completed steps and after the last; the rate counts only
// the steps of this call (a resumed run does not claim the steps done before).
export interface TrainProgress {
  /** Steps completed. */
  step: number;
  steps: number;
  /** Loss of the primary player at the last step. */
  loss: number;
  /** Last loss of every player, by name. */
  losses: Record<string, number>;
  stepsPerSecond: number;
  /** Estimated seconds left. */
  etaSeconds: number;
}

/** When and what to report. */
export interface ProgressHookOptions {
  onProgress?: (progress: TrainProgress) => void;
  /** Report every this many steps (and after the last). Default 10. */
  progressEvery?: number;
  steps: number;
  /** Steps completed when this call started. */
  start: number;
  /** `performance.now()` when this call started. */
  t0: number;
  /** Name of the primary player (players[0]), whose loss is `loss`. */
  primary: string;
}

/** Returns `afterStep(done, losses)`, which calls `onProgress` when step `done` is due for a report. */
export function progressHook(options: ProgressHookOptions): (done: number, losses: Record<string, number>) => void {
  const { onProgress, steps, start, t0, primary } = options;
  const every = Math.max(1, options.progressEvery ?? 10);
  return (done, losses) => {
    if (!onProgress || (done % every !== 0 && done !== steps)) return;
    const seconds = (performance.now() - t0) / 1000;
    const rate = (done - start) / Math.max(seconds, 1e-9);
    onProgress({
      step: done,
      steps,
      loss: losses[primary]!,
      losses: { ...losses },
      stepsPerSecond: rate,
      etaSeconds: (steps - done) / Math.max(rate, 1e-9),
    });
  };
}
