// FLD, the Fréchet LeNet Distance: FID's formula (Heusel et al. 2017, eq. 6)
//   FLD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})
// on the 84-d features of pfm's own LeNet MNIST classifier instead of Inception-v3 pool features.
// Values compare only with other FLD values of pfm, never with published FID numbers.
import * as tf from '@tensorflow/tfjs-core';
import { featureMoments } from './feature-moments.js';
import { frechetDistance } from './frechet-distance.js';
import { lenetMnistFeatures } from './lenet-mnist-features.js';

/** The moments of the LeNet features of `[n, 784]` images (n ≥ 2), in float64. */
function lenetMoments(images: tf.Tensor2D, name: string) {
  const features = lenetMnistFeatures(images, { name });
  try {
    return featureMoments(features.dataSync(), features.shape[0], features.shape[1], `${name} (LeNet features)`);
  } finally {
    features.dispose();
  }
}

/**
 * FLD between two sets of 28×28 grey images, `x` `[n, 784]` and `y` `[m, 784]` (rows in [0, 1],
 * MNIST layout; n, m ≥ 2): the Fréchet distance between Gaussians fitted to their LeNet features
 * (`lenetMnistFeatures`), in float64 on the host. A metric, not a loss: no gradient flows through
 * it. Throws a RangeError naming `x` or `y` when a shape is not `[n ≥ 2, 784]`.
 */
export function frechetLenetDistance(x: tf.Tensor2D, y: tf.Tensor2D): number {
  return frechetDistance(lenetMoments(x, 'x'), lenetMoments(y, 'y'));
}
