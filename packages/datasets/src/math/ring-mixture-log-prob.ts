// Density of a mixture of uniform circles blurred by N(0, σ² I₂): for a circle of radius r,
// p_r(x) = (1/2π)∫ N(x; r(cos θ, sin θ), σ² I) dθ = exp(−(ρ² + r²)/(2σ²)) I0(ρ r/σ²) / (2πσ²),
// ρ = ‖x‖ (the angular integral of e^{(ρr/σ²) cos θ} is 2π I0). Written with I0e for stability.
import * as tf from '@tensorflow/tfjs-core';
import { logBesselI0e } from './log-bessel-i0e.js';

/**
 * log p(x) for the mixture Σ_k w_k p_{r_k}, rows of `x` `[n, 2]` → `[n]`:
 * log p = logsumexp_k [log w_k − log(2πσ²) − (ρ − r_k)²/(2σ²) + log I0e(ρ r_k/σ²)].
 * `weights` must sum to 1 and `sigma` be positive (the caller checks).
 */
export function ringMixtureLogProb(
  x: tf.Tensor2D,
  radii: readonly number[],
  weights: readonly number[],
  sigma: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const rho = tf.sqrt(tf.sum(tf.square(x), 1)); // [n]
    const variance = sigma * sigma;
    const terms = radii.map((r, k) => {
      const gap = tf.div(tf.square(tf.sub(rho, r)), -2 * variance);
      const bessel = logBesselI0e(tf.mul(rho, r / variance));
      return tf.add(tf.add(gap, bessel), Math.log(weights[k]!) - Math.log(2 * Math.PI * variance));
    });
    return tf.logSumExp(tf.stack(terms, 1), 1) as tf.Tensor1D;
  });
}
