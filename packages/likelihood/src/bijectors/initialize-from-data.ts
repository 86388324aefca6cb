// Data-dependent initialisation through a stack of bijectors: the data enters at the data side
// and is pulled back layer by layer, each layer seeing what it will see in the inverse pass.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, ConditionBatch, SetupPass } from '@pfm/core';

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
 * Rows pulled back through one layer at a time during the initialisation. The layer's
 * intermediates (a spline coupling's bins, its conditioner's hidden units) scale with the rows:
 * on 784-d images an NSF coupling needs some 0.5 MB a row, so thousands of rows at once exceeded
 * the wasm backend's 4 GiB heap (an allocation failure there corrupts the heap instead of
 * throwing). Chunks of this many rows keep the pass within a training step's memory.
 */
export const INITIALIZATION_CHUNK_ROWS = 256;

/**
 * ψ_l⁻¹(h) row by row in chunks of `chunkRows` (see INITIALIZATION_CHUNK_ROWS): the rows of the
 * result are those of one pass over all rows, with the memory of one chunk's intermediates.
 * `h` is `[n, dim]` (not owned); the condition rows, when given, are sliced alike.
 */
export function pullBackInChunks(layer: Bijector, h: tf.Tensor2D, condition?: tf.Tensor, chunkRows = INITIALIZATION_CHUNK_ROWS): tf.Tensor2D {
  const inverse = (rows: tf.Tensor2D, values?: tf.Tensor): tf.Tensor2D => {
    const [next, logDet] = layer.condition && values ? layer.inverseAndLogDet(rows, { values }) : layer.inverseAndLogDet(rows);
    logDet.dispose();
    return next;
  };
  const n = h.shape[0];
  if (n <= chunkRows) return inverse(h, condition);
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += chunkRows) {
      const size = Math.min(chunkRows, n - start);
      const [rows, values] = tf.tidy(() => [
        tf.slice(h, [start, 0], [size, -1]),
        condition ? tf.slice(condition, [start, ...condition.shape.slice(1).map(() => 0)], [size, ...condition.shape.slice(1).map(() => -1)]) : undefined,
      ] as const);
      try {
        parts.push(inverse(rows, values));
      } finally {
        rows.dispose();
        values?.dispose();
      }
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

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

/**
 * The memory bound of a flow's data-dependent initialisation on `rows` data rows, as core's memory
 * plan reads it: with m = min(rows, maxRows) the pass holds the dequantised copy of the data (when
 * the flow dequantises), the strided subsample (above `maxRows`), and in a chain's pull-back the
 * current layer's input, the chunks of its output, their concatenation and ActNorm's centred rows,
 * i.e. 4m rows; the layers see `chunkRows` rows at a time (INITIALIZATION_CHUNK_ROWS).
 */
export function initializationSetupPass(
  rows: number,
  options: { dequantizedCopy: boolean; maxRows?: number; chunkRows?: number },
): SetupPass {
  const maxRows = options.maxRows ?? MAX_INITIALIZATION_ROWS;
  const m = Math.min(rows, maxRows);
  return {
    name: 'data-dependent initialisation',
    heldRows: (options.dequantizedCopy ? rows : 0) + (rows > maxRows ? m : 0) + 4 * m,
    chunkRows: Math.min(m, options.chunkRows ?? INITIALIZATION_CHUNK_ROWS),
  };
}
