// The importance-weighted bound (Burda, Grosse & Salakhutdinov 2016, eq. 8):
//   L_K(x) = E[log (1/K) Σ_k w_k],  w_k = p(x | z_k) p(z_k) / q(z_k | x),  z_k ~ q(· | x),
// with ELBO = L_1 ≤ L_K ≤ L_{K+1} ≤ log p(x) and L_K → log p(x) as K → ∞ (their Theorem 1).
// With a condition c: w_k = p(x | z_k, c) p(z_k) / q(z_k | x, c), and L_K(x | c) → log p(x | c).
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, Rng } from '@pfm/core';
import { repeatCondition } from './repeat-condition.js';
import { logPriorMinusLogPosterior, type VaeNetworks } from './elbo.js';

/** Rows × samples evaluated at once by the chunked estimate (bounds memory). */
export const IWAE_CHUNK_ROWS = 65536;

/**
 * Per-row IWAE bound `[n, dim]` → `[n]` with K = `samples` importance samples from `rng`. The
 * samples are drawn in chunks of ⌊chunkRows / n⌋ (stream rng.fold(chunk)) and combined by a
 * log-sum-exp, so large K (a log-likelihood estimate) runs in bounded memory. Conditional networks
 * need `condition` (the rows' condition): the bound is then L_K(x | c) ≤ log p(x | c).
 * Source: Burda, Grosse & Salakhutdinov, "Importance weighted autoencoders", ICLR 2016, eq. (8).
 */
export function iwaeBound(
  networks: VaeNetworks,
  x: tf.Tensor2D,
  options: { rng: Rng; samples: number; chunkRows?: number; condition?: ConditionBatch },
): tf.Tensor1D {
  const K = options.samples;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`iwaeBound: samples must be a positive integer, got ${K}`);
  const { encoder, decoder } = networks;
  const n = x.shape[0];
  const k = encoder.latentDim;
  const perChunk = Math.max(1, Math.min(K, Math.floor((options.chunkRows ?? IWAE_CHUNK_ROWS) / Math.max(n, 1))));
  return tf.tidy(() => {
    const { mean, logStd } = encoder.encode(x, options.condition);
    const parts: tf.Tensor1D[] = [];
    for (let start = 0, chunk = 0; start < K; start += perChunk, chunk++) {
      const c = Math.min(perChunk, K - start);
      const eps = options.rng.fold(chunk).normal([c, n, k]);
      const zs = tf.add(mean, tf.mul(tf.exp(logStd), eps)); // [c, n, k]
      const params = decoder.parameters(tf.reshape(zs, [c * n, k]) as tf.Tensor2D, repeatCondition(options.condition, c));
      const logLik = tf.reshape(decoder.logLikelihood(tf.tile(x, [c, 1]) as tf.Tensor2D, params), [c, n]);
      const logW = tf.add(logLik, logPriorMinusLogPosterior(zs, eps, logStd)); // [c, n]
      parts.push(tf.logSumExp(logW, 0) as tf.Tensor1D);
    }
    const all = parts.length === 1 ? parts[0]! : tf.logSumExp(tf.stack(parts, 0), 0);
    return tf.sub(all, Math.log(K)) as tf.Tensor1D;
  });
}
