// The evidence lower bound (Kingma & Welling 2014, eq. 3 and 10), by reparameterisation
// z = m(x) + s(x) ⊙ ε, ε ~ N(0, I):
//   ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ N(0, I)) ≤ log p(x),
//   KL = ½ Σ_j (m_j² + s_j² − 1 − 2 log s_j)   (closed form, appendix B).
// With a condition c (conditional VAE, Sohn et al. 2015, eq. 4) every term is conditioned on c and
// the prior stays N(0, I): ELBO(x | c) = E_q(z|x,c)[log p(x | z, c)] − KL(q(z | x, c) ‖ N(0, I)) ≤ log p(x | c).
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, Rng } from '@pfm/core';
import { repeatCondition } from './repeat-condition.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { VaeDecoder } from './vae-decoder.js';

/** The two networks of a VAE. */
export interface VaeNetworks {
  encoder: GaussianEncoder;
  decoder: VaeDecoder;
}

/** log N(z; 0, I) − log q(z | x) per sample, from ε and log s: `[..., k]` → `[...]`. */
export function logPriorMinusLogPosterior(zs: tf.Tensor, eps: tf.Tensor, logStd: tf.Tensor): tf.Tensor {
  // log q(z|x) = Σ −½ε² − log s − ½ log 2π;  log p(z) = Σ −½ z² − ½ log 2π.
  return tf.sum(tf.add(tf.mul(tf.sub(tf.square(eps), tf.square(zs)), 0.5), logStd), -1);
}

/**
 * Per-row ELBO `[n, dim]` → `[n]` with `samples` reparameterised draws per row (default 1) from
 * `rng`; `analyticKl` (default true) uses the closed-form KL, else the Monte Carlo
 * E_q[log p(z) − log q(z | x)]. Conditional networks need `condition` (the rows' condition): the
 * bound is then ELBO(x | c) ≤ log p(x | c).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014, eq. (3), (7), (10);
 * Sohn, Lee & Yan, "Learning structured output representation using deep conditional generative models", NeurIPS 2015, eq. (4).
 */
export function elbo(
  networks: VaeNetworks,
  x: tf.Tensor2D,
  options: { rng: Rng; samples?: number; analyticKl?: boolean; condition?: ConditionBatch },
): tf.Tensor1D {
  const L = options.samples ?? 1;
  if (!Number.isInteger(L) || L < 1) throw new RangeError(`elbo: samples must be a positive integer, got ${L}`);
  const { encoder, decoder } = networks;
  return tf.tidy(() => {
    const n = x.shape[0];
    const k = encoder.latentDim;
    const { mean, logStd } = encoder.encode(x, options.condition);
    const eps = options.rng.normal([L, n, k]);
    const zs = tf.add(mean, tf.mul(tf.exp(logStd), eps)); // [L, n, k]
    const params = decoder.parameters(tf.reshape(zs, [L * n, k]) as tf.Tensor2D, repeatCondition(options.condition, L));
    const logLik = tf.mean(tf.reshape(decoder.logLikelihood(tf.tile(x, [L, 1]) as tf.Tensor2D, params), [L, n]), 0);
    const kl = options.analyticKl === false
      ? tf.neg(tf.mean(logPriorMinusLogPosterior(zs, eps, logStd), 0))
      : tf.mul(tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(tf.mul(logStd, 2))), tf.add(tf.mul(logStd, 2), 1)), 1), 0.5);
    return tf.sub(logLik, kl) as tf.Tensor1D;
  });
}
