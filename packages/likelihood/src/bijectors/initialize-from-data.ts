// Data-dependent initialisation through a stack of bijectors: the data enters at the data side
// and is pulled back layer by layer, each layer seeing what it will see in the inverse pass.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, ConditionBatch } from '@pfm/core';

/** A bijector with a data-dependent initialisation (ActNorm, a chain holding ActNorms). */
export interface DataInitializable {
  /**
   * Initialises from data `[n, dim]` on the data side of the layer (what `inverseAndLogDet` receives);
   * a chain with conditional layers needs the rows' `condition` to pull the data back through them.
   */
  initialize(x: tf.Tensor2D, condition?: ConditionBatch): void;
}

/** Whether `b` has an `initialize(x)` method (ActNorm, chains). */
export function isDataInitializable(b: unknown): b is DataInitializable {
  return typeof (b as Partial<DataInitializable>).initialize === 'function';
}

/**
 * Rows a data-dependent initialisation sees at most. Glow initialises ActNorm from one minibatch;
 * statistics of 16,384 rows are within about 1% of the full data's, and pulling a million rows
 * back through a deep chain would cost minutes and a gigabyte.
 */
export const MAX_INITIALIZATION_ROWS = 16_384;

/**
 * Calls `bijector.initialize(x)` when the bijector has one; `x` is `[n, dim]` data (not owned).
 * Above `maxRows` rows it initialises from evenly strided rows k·n/maxRows (deterministic, and
 * spread over the whole data even when the file is sorted).
 */
export function initializeFromData(bijector: Bijector, x: tf.Tensor2D, maxRows = MAX_INITIALIZATION_ROWS, condition?: tf.Tensor): void {
  if (!isDataInitializable(bijector)) return;
  const n = x.shape[0];
  if (n <= maxRows) {
    if (condition) bijector.initialize(x, { values: condition });
    else bijector.initialize(x);
    return;
  }
  const rows = new Int32Array(maxRows);
  for (let k = 0; k < maxRows; k++) rows[k] = Math.floor((k * n) / maxRows);
  const [subsample, subCondition] = tf.tidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    return [tf.gather(x, index) as tf.Tensor2D, condition ? tf.gather(condition, index) : undefined] as const;
  });
  try {
    if (subCondition) bijector.initialize(subsample, { values: subCondition });
    else bijector.initialize(subsample);
  } finally {
    subsample.dispose();
    subCondition?.dispose();
  }
}
