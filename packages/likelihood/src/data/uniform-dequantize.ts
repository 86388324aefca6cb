// Uniform dequantisation of data on the grid {0, 1/(K−1), …, 1} (Theis, van den Oord & Bethge
// 2016, "A note on the evaluation of generative models", §3.1; Dinh et al. 2017, §4.1):
//   x̃ = (x·(K − 1) + u)/K,  u ~ U[0, 1)^d,
// which sends grid value k/(K − 1) uniformly onto the cell [k/K, (k + 1)/K) of [0, 1).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@pfm/core';

/** x̃ = (x·(levels − 1) + u)/levels for a batch `[B, d]` in [0, 1] → `[B, d]` in [0, 1), u drawn from `rng`. */
export function uniformDequantize(batch: tf.Tensor2D, levels: number, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.add(tf.mul(batch, levels - 1), rng.uniform(batch.shape)), levels) as tf.Tensor2D);
}
