// A trained VAE as a pfm Model: sampling pushes z ~ N(0, I) through the decoder mean φ (or draws
// x ~ N(φ(z), σ² I)); logProb is the importance-sampled estimate of log p(x) = log ∫ p(x | z) p(z) dz.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type Rng, type SampleOptions } from '@pfm/core';
import { checkRows } from '../bijectors/define-bijector.js';
import { elbo, type VaeNetworks } from './elbo.js';
import { iwaeBound } from './iwae-bound.js';
import { VAE_LOG_PROB_SEED, vaeLogLikelihood } from './vae-log-likelihood.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { GaussianDecoder } from './gaussian-decoder.js';

/** Model options a VAE model reads. */
export interface VaeModelOptions extends Record<string, unknown> {
  /** Default of `sample`: draw from p(x | z) (true) or return φ(z) (false). */
  sampleNoise: boolean;
  /** Importance samples of `logProb`. */
  logProbSamples: number;
}

/** A VAE model; map roles `encoder` and `decoder`. */
export interface VaeModel extends Model {
  readonly maps: { encoder: GaussianEncoder; decoder: GaussianDecoder };
  readonly latentDim: number;
  /**
   * An importance-sampled ESTIMATE of log p(x) `[n, dim]` → `[n]` (K = options.logProbSamples,
   * fixed seed VAE_LOG_PROB_SEED), biased low; not exact.
   */
  logProb(x: tf.Tensor2D): tf.Tensor1D;
  /** Per-row ELBO `[n]`. */
  elbo(x: tf.Tensor2D, rng: Rng, samples?: number): tf.Tensor1D;
  /** Per-row IWAE bound with K samples `[n]`. */
  iwaeBound(x: tf.Tensor2D, rng: Rng, samples: number): tf.Tensor1D;
}

/**
 * Wraps an encoder and a decoder as a Model (owns both).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014; Burda et al., "Importance
 * weighted autoencoders", ICLR 2016.
 */
export function vaeModel(args: { method: string; options: VaeModelOptions; encoder: GaussianEncoder; decoder: GaussianDecoder }): VaeModel {
  const { encoder, decoder, options, method } = args;
  if (encoder.latentDim !== decoder.latentDim || encoder.inputDim !== decoder.outputDim) {
    throw new RangeError(
      `${method}: encoder R^${encoder.inputDim} → latent ${encoder.latentDim} and decoder latent ${decoder.latentDim} → R^${decoder.outputDim} do not match`,
    );
  }
  const networks: VaeNetworks = { encoder, decoder };
  const dim = decoder.outputDim;
  const k = encoder.latentDim;
  return {
    method,
    options,
    maps: { encoder, decoder },
    dim,
    latentDim: k,
    nfe: 1,
    nfeFor: () => 1,
    sample(n: number, rng: Rng, sampleOptions?: SampleOptions): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`${method}: sample count must be a non-negative integer, got ${n}`);
      const stochastic = sampleOptions?.stochastic ?? options.sampleNoise;
      return tf.tidy(() => {
        const mean = decoder.apply(rng.fold(0).normal([n, k]) as tf.Tensor2D);
        if (!stochastic) return mean;
        return tf.add(mean, tf.mul(rng.fold(1).normal([n, dim]), tf.exp(decoder.logStd()))) as tf.Tensor2D;
      });
    },
    logProb(x: tf.Tensor2D): tf.Tensor1D {
      checkRows(x, dim, `${method}.logProb`);
      return vaeLogLikelihood(networks, x, { samples: options.logProbSamples, rng: createRng(VAE_LOG_PROB_SEED) });
    },
    elbo(x, rng, samples = 1) {
      checkRows(x, dim, `${method}.elbo`);
      return elbo(networks, x, { rng, samples });
    },
    iwaeBound(x, rng, samples) {
      checkRows(x, dim, `${method}.iwaeBound`);
      return iwaeBound(networks, x, { rng, samples });
    },
    extra: () => ({}),
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
}
