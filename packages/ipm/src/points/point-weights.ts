/**
 * Weights of the points of two clouds (normalised to sum 1; default uniform), from code only:
 * typed arrays are welcome, so they are not part of the JSON options of a registry entry.
 */
export interface PointWeights {
  /** Weights of the points of x `[n]`. Default uniform. */
  weightsX?: ArrayLike<number>;
  /** Weights of the points of y `[m]`. Default uniform. */
  weightsY?: ArrayLike<number>;
}
