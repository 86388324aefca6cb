// A coupling restricted to pairs with the same class: for class labels c the minibatch is split by
// class and each part is coupled on its own, π = Σ_c (n_c / n) π_c, so OT-CFM transports each
// conditional law μ₁(· | c) from the noise separately (torchcfm issues #120 and #132 ask for this).
import * as tf from '@tensorflow/tfjs-core';
import { groupRowsByClass, type Coupling, type Rng } from '@pfm/core';

/**
 * Pairs noise `x0` and data `x1` (`[n, d]` each) with `coupling` inside each class of `labels`
 * (`[n]` int32, the labels of `x1`'s rows): returns the pairs grouped by class in increasing label
 * order and the label of each pair. Every part gets its own stream `rng.fold(c)`. Call inside tf.tidy.
 */
export function pairWithinClasses(
  coupling: Coupling,
  x0: tf.Tensor2D,
  x1: tf.Tensor2D,
  labels: tf.Tensor1D,
  rng: Rng,
): { x0: tf.Tensor2D; x1: tf.Tensor2D; labels: tf.Tensor1D } {
  const parts0: tf.Tensor2D[] = [];
  const parts1: tf.Tensor2D[] = [];
  const order: number[] = [];
  for (const { label: c, rows } of groupRowsByClass(labels, 'pairWithinClasses: labels')) {
    const idx = tf.tensor1d(rows, 'int32');
    const pair = coupling.pair(tf.gather(x0, idx) as tf.Tensor2D, tf.gather(x1, idx) as tf.Tensor2D, rng.fold(c));
    parts0.push(pair.x0);
    parts1.push(pair.x1);
    for (let k = 0; k < rows.length; k++) order.push(c);
  }
  return {
    x0: tf.concat(parts0, 0) as tf.Tensor2D,
    x1: tf.concat(parts1, 0) as tf.Tensor2D,
    labels: tf.tensor1d(order, 'int32'),
  };
}
