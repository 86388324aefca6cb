// A trained VAE as a pfm Model: sampling pushes z ~ N(0, I) through the decoder mean φ (or draws
// x ~ N(φ(z), σ² I)); logProb is the importance-sampled estimate of log p(x) = log ∫ p(x | z) p(z) dz.
// A VAE trained on dequantised pixels reports its bound in bits per dimension,
//   bpd = (−L_K(x̃) + d·log K_levels)/(d·log 2),  x̃ = (x·(K_levels − 1) + u)/K_levels,
// an upper bound in expectation on −log₂ P(x)/d (L_K ≤ log p(x̃), then Jensen over the pixel cell).
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type Rng, type SampleOptions } from '@pfm/core';
import { checkRows } from '../bijectors/define-bijector.js';
import { elbo, type VaeNetworks } from './elbo.js';
import { iwaeBound } from './iwae-bound.js';
import { VAE_LOG_PROB_SEED, vaeLogLikelihood } from './vae-log-likelihood.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { VaeDecoder } from './vae-decoder.js';
import { uniformDequantize } from '../data/uniform-dequantize.js';
import { bitsPerDimension } from '../flow/bits-per-dimension.js';

/** Model options a VAE model reads. */
export interface VaeModelOptions extends Record<string, unknown> {
  /** Default of `sample`: draw from p(x | z) (true) or return φ(z) (false). */
  sampleNoise: boolean;
  /** Importance samples of `logProb`. */
  logProbSamples: number;
  /** Trained on dequantised pixels x̃ = (x·(levels − 1) + u)/levels (then `bitsPerDim` exists). */
  dequantize?: boolean;
  /** Values a pixel takes (256 for 8-bit images). */
  levels?: number;
}

/** A VAE model; map roles `encoder` and `decoder`. */
export interface VaeModel extends Model {
  readonly maps: { encoder: GaussianEncoder; decoder: VaeDecoder };
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
  /**
   * Models trained with `dequantize`: bits per dimension `[n]` of the pixel rows of `x` from the
   * K-sample bound L_K (K = `samples`, default 1: the ELBO with a Monte Carlo KL) of their
   * dequantisation, bpd = (−L_K(x̃) + d·log levels)/(d·log 2); u and z are drawn from `rng`.
   */
  bitsPerDim?(x: tf.Tensor2D, rng: Rng, samples?: number): tf.Tensor1D;
}

/**
 * Wraps an encoder and a decoder as a Model (owns both).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014; Burda et al., "Importance
 * weighted autoencoders", ICLR 2016.
 */
export function vaeModel(args: { method: string; options: VaeModelOptions; encoder: GaussianEncoder; decoder: VaeDecoder }): VaeModel {
  const { encoder, decoder, options, method } = args;
  if (encoder.latentDim !== decoder.latentDim || encoder.inputDim !== decoder.outputDim) {
    throw new RangeError(
      `${method}: encoder R^${encoder.inputDim} → latent ${encoder.latentDim} and decoder latent ${decoder.latentDim} → R^${decoder.outputDim} do not match`,
    );
  }
  const networks: VaeNetworks = { encoder, decoder };
  const dim = decoder.outputDim;
  const k = encoder.latentDim;
  const model: VaeModel = {
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
        const params = decoder.parameters(rng.fold(0).normal([n, k]) as tf.Tensor2D);
        return stochastic ? decoder.draw(params, rng.fold(1)) : decoder.mean(params);
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
  if (options.dequantize) {
    const levels = options.levels ?? 256;
    model.bitsPerDim = (x, rng, samples = 1) => {
      checkRows(x, dim, `${method}.bitsPerDim`);
      return tf.tidy(() => bitsPerDimension(iwaeBound(networks, uniformDequantize(x, levels, rng.fold(0)), { rng: rng.fold(1), samples }), dim, levels));
    };
  }
  return model;
}
