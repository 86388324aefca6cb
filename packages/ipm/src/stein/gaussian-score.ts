// Score of a diagonal Gaussian N(μ, diag σ²): ∇ log p(x) = −(x − μ)/σ².
import * as tf from '@tensorflow/tfjs-core';
import type { ScoreFunction } from './kernel-stein-discrepancy.js';

/**
 * s(x) = −(x − μ)/σ² for N(μ, diag σ²); `mean` and `std` are numbers (broadcast) or length-d arrays.
 * `[n, d]` → `[n, d]`.
 */
export function gaussianScore(mean: number | number[] = 0, std: number | number[] = 1): ScoreFunction {
  const stds = Array.isArray(std) ? std : [std];
  stds.forEach((s, i) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`gaussianScore: std${Array.isArray(std) ? `[${i}]` : ''} must be positive, got ${s}`);
  });
  const means = Array.isArray(mean) ? mean : [mean];
  if (!means.every(Number.isFinite)) throw new RangeError(`gaussianScore: mean must be finite numbers, got ${JSON.stringify(mean)}`);
  const mu = Float32Array.from(means);
  const precision = Float32Array.from(stds, (s) => 1 / (s * s));
  return (x) =>
    tf.tidy(() => {
      const d = x.shape[1];
      for (const [name, arr] of [['mean', mu], ['std', precision]] as const) {
        if (arr.length !== 1 && arr.length !== d) throw new RangeError(`gaussianScore: ${name} has ${arr.length} entries, points have dimension ${d}`);
      }
      return tf.neg(tf.mul(tf.sub(x, tf.tensor1d(mu)), tf.tensor1d(precision))) as tf.Tensor2D;
    });
}
