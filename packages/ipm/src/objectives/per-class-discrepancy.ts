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

/** What {@link perClassDiscrepancy} compares, and how it draws the generated side. */
export interface PerClassDiscrepancyOptions {
  /** The conditional generator φ(z | c) (its `condition` a class spec). */
  generator: PushforwardMap;
  discrepancy: PointDiscrepancy;
  /** The data points of the batch `[n, d]`. */
  batch: tf.Tensor2D;
  /** The class of each row of `batch`, `[n]` int32. */
  labels: tf.Tensor;
  /** Draws m latent points `[m, latentDim]` from `rng` (class c draws from `rng.fold(c)`). */
  noise: (m: number, rng: Rng) => tf.Tensor2D;
  /** m_c / n_c: generated points per data point of a class (1: as many as data; at least 2 a class). */
  generatedPerData: number;
  rng: Rng;
  /** The objective, named first by the errors (default `conditional statistics matching`). */
  where?: string;
}

/**
 * The loss above on one batch. Classes are visited in increasing label order (as
 * `groupRowsByClass` lists them); classes with fewer than 2 points in the batch are left out of
 * this step (a discrepancy needs two points on each side to see a spread); a batch with no such
 * class is a RangeError naming `where` and the batch size. Call inside tf.tidy.
 */
export function perClassDiscrepancy(options: PerClassDiscrepancyOptions): tf.Scalar {
  const { generator, discrepancy, batch, labels, noise, generatedPerData, rng, where = 'conditional statistics matching' } = options;
  const n = batch.shape[0];
  const terms: tf.Scalar[] = [];
  for (const { label: c, rows: idx } of groupRowsByClass(labels, `${where}: batch labels`)) {
    if (idx.length < 2) continue;
    const m = Math.max(2, Math.round(idx.length * generatedPerData));
    const data = tf.gather(batch, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
    const fake = generator.apply(noise(m, rng.fold(c)), { values: tf.fill([m], c, 'int32') });
    terms.push(tf.mul(discrepancy(fake, data), idx.length / n) as tf.Scalar);
  }
  if (terms.length === 0) throw new RangeError(`${where}: no class has 2 points in this batch of ${n}; use a larger batchSize`);
  return tf.addN(terms) as tf.Scalar;
}
