// The empirical measure (1/N) Σ_i δ_{x_i} of a data set.
import * as tf from '@tensorflow/tfjs-core';
import type { Measure } from '../contracts/measure.js';
import type { Rng } from '../rng/rng.js';

/** A data set as a measure. Owns a copy of the data: call `dispose()` when done. */
export interface Empirical extends Measure {
  /** Number of points N. */
  readonly size: number;
  /** The points `[N, dim]` (owned by the measure; do not dispose). */
  readonly data: tf.Tensor2D;
  /** `n` rows drawn uniformly with replacement. */
  sample(n: number, rng: Rng): tf.Tensor2D;
  /** `n ≤ N` distinct rows drawn uniformly without replacement. */
  sampleWithoutReplacement(n: number, rng: Rng): tf.Tensor2D;
  /**
   * Minibatches of one pass over the data in a random order (the last batch may be short
   * unless `dropLast`). Each batch is a new tensor the caller disposes.
   */
  batches(batchSize: number, rng: Rng, options?: { dropLast?: boolean }): Generator<tf.Tensor2D>;
  dispose(): void;
}

/** Rows of `values` (row-major `[rows, cols]`) or a tensor `[N, d]` (copied). */
export function empirical(data: tf.Tensor2D | { rows: number; cols: number; values: Float32Array }): Empirical {
  const points: tf.Tensor2D =
    data instanceof tf.Tensor
      ? tf.clone(data)
      : tf.tensor2d(data.values, [data.rows, data.cols]);
  if (points.rank !== 2) {
    points.dispose();
    throw new RangeError(`empirical: expected data of shape [N, d], got [${(data as tf.Tensor).shape.join(', ')}]`);
  }
  const [size, dim] = points.shape;
  if (size === 0) {
    points.dispose();
    throw new RangeError('empirical: the data set is empty');
  }
  const take = (idx: Int32Array) => tf.tidy(() => tf.gather(points, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
  return {
    dim,
    size,
    data: points,
    sample(n, rng) {
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = rng.int(size);
      return take(idx);
    },
    sampleWithoutReplacement(n, rng) {
      if (n > size) throw new RangeError(`empirical: cannot draw ${n} distinct rows from ${size}`);
      return take(rng.permutation(size).subarray(0, n));
    },
    *batches(batchSize, rng, options = {}) {
      if (!Number.isInteger(batchSize) || batchSize <= 0) {
        throw new RangeError(`empirical.batches: batchSize must be a positive integer, got ${batchSize}`);
      }
      const order = rng.permutation(size);
      for (let start = 0; start < size; start += batchSize) {
        const end = Math.min(size, start + batchSize);
        if (options.dropLast && end - start < batchSize) return;
        yield take(order.subarray(start, end));
      }
    },
    dispose() {
      points.dispose();
    },
  };
}
