// The conditional flow-matching loss (Lipman et al. 2023, eq. 9; Tong et al. 2024, eq. 16):
//   L(θ) = E_{t ~ U[t_min, t_max], (x0, x1) ~ π, z ~ N(0, I)} ‖v_θ(t, x_t) − u_t(x_t | x0, x1, z)‖²,
// averaged over the batch and the coordinates; its minimiser is the marginal velocity.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng, VectorField } from '@pfm/core';
import type { Coupling } from '../couplings/coupling.js';
import type { Interpolant } from '../paths/interpolant.js';

/** One minibatch of the conditional flow-matching loss; x1 = data `[B, d]`, noise from rng. */
export function velocityMatchingLoss(
  field: VectorField,
  interpolant: Interpolant,
  coupling: Coupling,
  x1: tf.Tensor2D,
  rng: Rng,
): tf.Scalar {
  return tf.tidy(() => {
    const [n, d] = x1.shape;
    const [tMin, tMax] = interpolant.timeRange;
    const noise = rng.fold(0).normal([n, d]) as tf.Tensor2D;
    const t = rng.fold(1).uniform([n], tMin, tMax) as tf.Tensor1D;
    const z = interpolant.usesNoise ? (rng.fold(2).normal([n, d]) as tf.Tensor2D) : undefined;
    const pair = coupling.pair(noise, x1, rng.fold(3));
    const { xt, velocity } = interpolant.interpolate(t, pair.x0, pair.x1, z);
    return tf.mean(tf.square(tf.sub(field.evaluate(t, xt), velocity))) as tf.Scalar;
  });
}
