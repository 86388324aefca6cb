/** Training stopped because a loss or gradient became NaN or ±Inf; the parameters are those of the last good step. */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  constructor(
    message: string,
    /** Steps completed with finite values; the variables hold the parameters after this many steps. */
    readonly completedSteps: number,
  ) {
    super(message);
  }
}

/** A training step left more tensors alive than the one before it. */
export class TensorLeakError extends Error {
  override name = 'TensorLeakError';
}
