// The conditional flow-matching loss (Lipman et al. 2023, eq. 9; Tong et al. 2024, eq. 16):
//   L(θ) = E_{t ~ U[t_min, t_max], (x0, x1) ~ π, z ~ N(0, I)} ‖v_θ(t, x_t) − u_t(x_t | x0, x1, z)‖²,
// averaged over the batch and the coordinates; its minimiser is the marginal velocity.
// With a data condition c (labels or context of x1) the field sees it, v_θ(t, x_t | c), and the
// minimiser is the velocity of the conditional law μ₁(· | c); class labels restrict a non-independent
// coupling to pairs of the same class, and with probability `dropout` a row is trained with the null
// condition instead (classifier-free guidance, Ho & Salimans 2022).
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, Rng, VectorField } from '@pfm/core';
import type { Coupling } from '../couplings/coupling.js';
import { pairWithinClasses } from '../couplings/pair-within-classes.js';
import type { Interpolant } from '../paths/interpolant.js';

/** The condition rows of a batch (`[B]` int32 labels or `[B, m]` context) and the dropout probability. */
export interface LossCondition {
  values: tf.Tensor;
  /** Probability that a row is trained with the null condition (default 0). */
  dropout?: number;
}

/** One minibatch of the conditional flow-matching loss; x1 = data `[B, d]`, noise from rng. */
export function velocityMatchingLoss(
  field: VectorField,
  interpolant: Interpolant,
  coupling: Coupling,
  x1: tf.Tensor2D,
  rng: Rng,
  condition?: LossCondition,
): tf.Scalar {
  return tf.tidy(() => {
    const [n, d] = x1.shape;
    const [tMin, tMax] = interpolant.timeRange;
    const noise = rng.fold(0).normal([n, d]) as tf.Tensor2D;
    const t = rng.fold(1).uniform([n], tMin, tMax) as tf.Tensor1D;
    const z = interpolant.usesNoise ? (rng.fold(2).normal([n, d]) as tf.Tensor2D) : undefined;
    let pair: { x0: tf.Tensor2D; x1: tf.Tensor2D };
    let batch: ConditionBatch | undefined;
    if (condition === undefined) {
      pair = coupling.pair(noise, x1, rng.fold(3));
    } else {
      let values = condition.values;
      if (coupling.name === 'independent') {
        pair = coupling.pair(noise, x1, rng.fold(3));
      } else if (values.rank === 1) {
        const grouped = pairWithinClasses(coupling, noise, x1, values as tf.Tensor1D, rng.fold(3));
        pair = grouped;
        values = grouped.labels;
      } else {
        throw new RangeError(
          `the "${coupling.name}" coupling cannot keep context vectors with their data points; use coupling "independent" with a context condition (class labels are coupled class by class)`,
        );
      }
      const p = condition.dropout ?? 0;
      const keep = p > 0 ? (tf.cast(tf.greaterEqual(rng.fold(5).uniform([n]), p), 'float32') as tf.Tensor1D) : undefined;
      batch = keep ? { values, keep } : { values };
    }
    const { xt, velocity } = interpolant.interpolate(t, pair.x0, pair.x1, z);
    return tf.mean(tf.square(tf.sub(field.evaluate(t, xt, batch), velocity))) as tf.Scalar;
  });
}
