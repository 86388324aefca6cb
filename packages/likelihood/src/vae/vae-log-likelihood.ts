// Test log-likelihood of a VAE by importance sampling with the encoder as proposal
// (Burda et al. 2016, §5; Rezende et al. 2014, appendix E):
//   log p(x) ≈ log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x),  z_k ~ q(· | x),
// an estimate that is biased low (it is the IWAE bound L_K) and converges to log p(x) as K → ∞.
import type * as tf from '@tensorflow/tfjs-core';
import { createRng, type ConditionBatch, type Rng } from '@pfm/core';
import type { VaeNetworks } from './elbo.js';
import { iwaeBound } from './iwae-bound.js';

/** Importance samples of a VAE model's `logProb` by default. */
export const VAE_LOG_PROB_SAMPLES = 256;
/** Seed of the importance samples of a VAE model's `logProb`, so the estimate is reproducible. */
export const VAE_LOG_PROB_SEED = 20231123;

/**
 * Importance-sampled estimate of log p(x) for each row of `x` `[n, dim]` → `[n]`, with K =
 * `samples` (default 256; use K ≥ 100) proposals from the encoder, drawn from `rng` (default: a
 * fixed seed). It is a lower bound in expectation (IWAE L_K), tight as K → ∞. A conditional VAE
 * needs `condition` and estimates log p(x | c).
 * Source: Burda, Grosse & Salakhutdinov, "Importance weighted autoencoders", ICLR 2016, §5.
 */
export function vaeLogLikelihood(model: VaeNetworks | { maps: VaeNetworks }, x: tf.Tensor2D, options: { samples?: number; rng?: Rng; condition?: ConditionBatch } = {}): tf.Tensor1D {
  const networks = 'maps' in model ? model.maps : model;
  const samples = options.samples ?? VAE_LOG_PROB_SAMPLES;
  return iwaeBound(networks, x, { samples, rng: options.rng ?? createRng(VAE_LOG_PROB_SEED), ...(options.condition ? { condition: options.condition } : {}) });
}
