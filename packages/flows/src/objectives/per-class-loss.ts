// The statistics-matching loss of a class-conditional one-step generator φ(z | c), per class and
// summed with the batch's class frequencies (as @pfm/ipm's conditional generators do):
//   L = Σ_c (n_c / n) · D({φ(z_i | c)}_{i ≤ n_c}, {y_j : c_j = c}),
// with n_c the number of target points y of class c in the batch. When every conditional law
// φ#N(0, I)(· | c) matches the target's, the joint laws of (x, c) agree too, and no point is ever
// compared with a point of another class; any registered discrepancy works.
import * as tf from '@tensorflow/tfjs-core';
import type { PushforwardMap, Rng } from '@pfm/core';

/**
 * The loss above: `target` `[n, d]` with class labels `labels` (`[n]` int32), generated points
 * φ(z | c) from z ~ N(0, I) `[n_c, d]` drawn from `rng.fold(c)`. Classes with fewer than 2 points
 * in the batch are left out of this step (a discrepancy needs two points a side to see a spread);
 * a batch with no such class is a RangeError saying to raise the batch size. Call inside tf.tidy.
 */
export function perClassLoss(
  generator: PushforwardMap,
  discrepancy: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar,
  target: tf.Tensor2D,
  labels: tf.Tensor,
  rng: Rng,
  where: string,
): tf.Scalar {
  const rows = new Map<number, number[]>();
  labels.dataSync().forEach((c, i) => {
    const list = rows.get(c);
    if (list) list.push(i);
    else rows.set(c, [i]);
  });
  const [n, d] = target.shape;
  const terms: tf.Scalar[] = [];
  for (const c of [...rows.keys()].sort((a, b) => a - b)) {
    const index = rows.get(c)!;
    if (index.length < 2) continue;
    const y = tf.gather(target, tf.tensor1d(index, 'int32')) as tf.Tensor2D;
    const fake = generator.apply(rng.fold(c).normal([index.length, d]) as tf.Tensor2D, { values: tf.fill([index.length], c, 'int32') });
    terms.push(tf.mul(discrepancy(fake, y), index.length / n) as tf.Scalar);
  }
  if (terms.length === 0) throw new RangeError(`${where}: no class has 2 points in this batch of ${n}; use a larger batchSize`);
  return tf.addN(terms) as tf.Scalar;
}
