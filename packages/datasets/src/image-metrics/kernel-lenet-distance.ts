// KID (Bińkowski et al. 2018, "Demystifying MMD GANs", §4) on pfm's LeNet features: the unbiased
// MMD² with kernel (aᵀb / 84 + 1)³ between the 84-d LeNet features of two image sets, mean and
// standard deviation over random subsets. Compares only with other KID values of pfm.
import * as tf from '@tensorflow/tfjs-core';
import { lenetMnistFeatures } from './lenet-mnist-features.js';
import { subsetPolynomialMmd, type SubsetPolynomialMmd, type SubsetPolynomialMmdOptions } from './subset-polynomial-mmd.js';

/**
 * KID between two sets of 28×28 grey images, `x` `[n, 784]` and `y` `[m, 784]` (rows in [0, 1],
 * MNIST layout; n, m ≥ 2): `subsetPolynomialMmd` on their LeNet features (`lenetMnistFeatures`).
 * Defaults: 100 subsets of 1000 points (fewer if a set is smaller), seed 0. A metric, not a loss:
 * no gradient flows through it. Throws a RangeError naming `x` or `y` when a shape is not `[n, 784]`.
 */
export function kernelLenetDistance(x: tf.Tensor2D, y: tf.Tensor2D, options: SubsetPolynomialMmdOptions = {}): SubsetPolynomialMmd {
  const fx = lenetMnistFeatures(x, { name: 'x' });
  try {
    const fy = lenetMnistFeatures(y, { name: 'y' });
    try {
      return subsetPolynomialMmd(fx, fy, options);
    } finally {
      fy.dispose();
    }
  } finally {
    fx.dispose();
  }
}
