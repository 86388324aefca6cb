// The statistics-matching loss of a class-conditional generator φ(z | c): per-class discrepancies
// summed with the batch's class frequencies,
//   L = Σ_c (n_c / n) · D({φ(z_i | c)}_{i ≤ m_c}, {x_j : c_j = c}),
// where n_c data points of the batch have label c and m_c ∝ n_c generated points get label c. The
// generated labels follow the data's, so the joint laws of (x, c) agree exactly when every
// conditional law φ#ν(· | c) matches μ₁(· | c): matching the joint law reduces to the conditionals.
// Why per class rather than one kernel on the product space (x, c): it works with every registered
// discrepancy (energy distance, Sinkhorn, sliced Wasserstein, not only kernel ones), needs no choice
// of a kernel between labels, and never compares points across classes.
import * as tf from '@tensorflow/tfjs-core';
import { groupRowsByClass, type PushforwardMap, type Rng } from '@pfm/core';

/** A discrepancy between generated `[m, d]` and data `[n, d]` points, a scalar. */
export type PointDiscrepancy = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar;

/**
 * The loss above on one batch: `labels` (`[n]` int32) are the classes of `batch` (`[n, d]`);
 * `noise(m, rng)` draws m latent points; `generatedPerData` is m/n (1: as many generated points as
 * data). Classes with fewer than 2 points in the batch are left out of this step (a discrepancy
 * needs two points on each side to see a spread). Call inside tf.tidy.
 */
export function perClassDiscrepancy(
  generator: PushforwardMap,
  discrepancy: PointDiscrepancy,
  batch: tf.Tensor2D,
  labels: tf.Tensor,
  noise: (m: number, rng: Rng) => tf.Tensor2D,
  generatedPerData: number,
  rng: Rng,
): tf.Scalar {
  const n = batch.shape[0];
  const terms: tf.Scalar[] = [];
  for (const { label: c, rows: idx } of groupRowsByClass(labels, 'conditional statistics matching: batch labels')) {
    if (idx.length < 2) continue;
    const m = Math.max(2, Math.round(idx.length * generatedPerData));
    const data = tf.gather(batch, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
    const fake = generator.apply(noise(m, rng.fold(c)), { values: tf.fill([m], c, 'int32') });
    terms.push(tf.mul(discrepancy(fake, data), idx.length / n) as tf.Scalar);
  }
  if (terms.length === 0) throw new RangeError('conditional statistics matching: no class has 2 points in this batch; use a larger batchSize');
  return tf.addN(terms) as tf.Scalar;
}
