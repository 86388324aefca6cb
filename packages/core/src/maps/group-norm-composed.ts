// Group normalisation written with tfjs ops only, differentiated by autodiff (Wu & He, "Group
// normalization", ECCV 2018, eq. 1–2): for each sample and each of G groups of C/G channels,
// μ and σ² over (h, w, C/G), y = γ·(x − μ)/√(σ² + ε) + β. groupNorm runs this form inside a
// nested gradient, where its gradient must itself be differentiable; tests use it as the reference.
import * as tf from '@tensorflow/tfjs-core';
import type { GroupNormOptions } from './group-norm-options.js';

/**
 * Group normalisation `[n, h, w, c]` → `[n, h, w, c]` from composed ops (moments, sub, div, mul,
 * add). Source: Wu & He, ECCV 2018, eq. 1–2 with PyTorch's ε = 1e-5 by default.
 */
export function groupNormComposed(x: tf.Tensor4D, options: GroupNormOptions): tf.Tensor4D {
  const { scale, shift, groups, epsilon = 1e-5 } = options;
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normalised = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon))), [n, h, w, c]);
    return tf.add(tf.mul(normalised, scale), shift);
  });
}
