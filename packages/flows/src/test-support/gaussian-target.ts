import * as tf from '@tensorflow/tfjs-core';
import type { VpSchedule } from '../paths/vp-schedule.js';

/** Data N(mean, diag(std²)) used by the closed-form tests. */
export const TARGET = { mean: [1.5, -1], std: [0.5, 1.2] };

/**
 * The exact score of the VP marginal p_t = N(α m, α² S + σ² I) (flow time t, diffusion time 1 − t)
 * for data N(m, S) with diagonal S: ∇log p_t(x) = −(x − α m) / (α² s² + σ²).
 */
export function exactVpScore(schedule: VpSchedule, t: number, x: tf.Tensor2D): tf.Tensor2D {
  const a = schedule.alpha(1 - t);
  const sg = schedule.sigma(1 - t);
  return tf.tidy(() => {
    const mean = tf.tensor1d(TARGET.mean.map((m) => a * m));
    const variance = tf.tensor1d(TARGET.std.map((s) => a * a * s * s + sg * sg));
    return tf.neg(tf.div(tf.sub(x, mean), variance)) as tf.Tensor2D;
  });
}

/** Column means and standard deviations of `[n, d]` samples. */
export function moments(x: tf.Tensor2D): { mean: number[]; std: number[] } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 0);
    return { mean: Array.from(mean.dataSync()), std: Array.from(tf.sqrt(variance).dataSync()) };
  });
}
