// What the VAE bounds and the VAE model need from a decoder p(x | z): the parameters of the
// distribution from z (a Gaussian's mean, a Bernoulli's logits), its log-likelihood, its mean and a draw.
// A conditional decoder p(x | z, c) (`condition` set) takes the rows' condition with z.
import type * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, PushforwardMap, Rng } from '@pfm/core';

/** A VAE decoder; `apply(z)` returns the mean of p(x | z) `[n, outputDim]`. */
export interface VaeDecoder extends PushforwardMap {
  readonly latentDim: number;
  /**
   * Parameters of p(x | z) for `z` `[n, latentDim]` → `[n, outputDim]` (the mean for a Gaussian,
   * the logits for a Bernoulli); of p(x | z, c) for a conditional decoder, which needs `condition`.
   */
  parameters(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D;
  /** log p(x | z) per row, from `parameters(z)`: `x`, `params` `[n, outputDim]` → `[n]`. */
  logLikelihood(x: tf.Tensor2D, params: tf.Tensor2D): tf.Tensor1D;
  /** E[x | z] from `parameters(z)` `[n, outputDim]`. */
  mean(params: tf.Tensor2D): tf.Tensor2D;
  /** A draw x ~ p(x | z) from `parameters(z)` `[n, outputDim]`, randomness from `rng`. */
  draw(params: tf.Tensor2D, rng: Rng): tf.Tensor2D;
}
