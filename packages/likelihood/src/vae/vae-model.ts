// A trained VAE as a pfm Model: sampling pushes z ~ N(0, I) through the decoder mean φ (or draws
// x ~ N(φ(z), σ² I)); logProb is the importance-sampled estimate of log p(x) = log ∫ p(x | z) p(z) dz.
// A VAE trained on dequantised pixels reports its bound in bits per dimension,
//   bpd = (−L_K(x̃) + d·log K_levels)/(d·log 2),  x̃ = (x·(K_levels − 1) + u)/K_levels,
// an upper bound in expectation on −log₂ P(x)/d (L_K ≤ log p(x̃), then Jensen over the pixel cell).
// A conditional VAE (encoder q(z | x, c), decoder p(x | z, c), Sohn et al. 2015) samples
// x = φ(z, c), z ~ N(0, I), for the requested c, and its bounds and logProb are those of log p(x | c).
import * as tf from '@tensorflow/tfjs-core';
import { conditionRows, createRng, sameConditionSpec, type ConditionBatch, type ConditionInput, type Model, type Rng, type SampleOptions } from '@pfm/core';
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
   * fixed seed VAE_LOG_PROB_SEED), biased low; not exact. A conditional model estimates
   * log p(x | c) and needs the rows' `condition` (one label or context for all rows, or one per row).
   */
  logProb(x: tf.Tensor2D, condition?: ConditionInput): tf.Tensor1D;
  /** Per-row ELBO `[n]` (of log p(x | c) with `condition`, which a conditional model needs). */
  elbo(x: tf.Tensor2D, rng: Rng, samples?: number, condition?: ConditionInput): tf.Tensor1D;
  /** Per-row IWAE bound with K samples `[n]` (of log p(x | c) with `condition`, which a conditional model needs). */
  iwaeBound(x: tf.Tensor2D, rng: Rng, samples: number, condition?: ConditionInput): tf.Tensor1D;
  /**
   * Models trained with `dequantize`: bits per dimension `[n]` of the pixel rows of `x` from the
   * K-sample bound L_K (K = `samples`, default 1: the ELBO with a Monte Carlo KL) of their
   * dequantisation, bpd = (−L_K(x̃) + d·log levels)/(d·log 2); u and z are drawn from `rng`.
   * A conditional model needs the rows' `condition`.
   */
  bitsPerDim?(x: tf.Tensor2D, rng: Rng, samples?: number, condition?: ConditionInput): tf.Tensor1D;
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
  if (!sameConditionSpec(encoder.condition, decoder.condition)) {
    const say = (c: typeof encoder.condition) => (c === undefined ? 'nothing' : c.kind === 'class' ? `${c.classes} classes` : `a context of dimension ${c.dim}`);
    throw new RangeError(`${method}: the encoder is conditioned on ${say(encoder.condition)}, the decoder on ${say(decoder.condition)}; they must agree`);
  }
  const networks: VaeNetworks = { encoder, decoder };
  const dim = decoder.outputDim;
  const k = encoder.latentDim;
  const spec = encoder.condition;
  // The condition rows of n points as a batch (made inside the caller's tidy), checked against the model.
  const batchOf = (condition: ConditionInput | undefined, n: number, where: string): ConditionBatch | undefined => {
    if (spec === undefined) {
      if (condition !== undefined) throw new TypeError(`${where}: "condition" given, but this model is unconditional (trained without labels or context)`);
      return undefined;
    }
    if (condition === undefined) {
      throw new TypeError(`${where}: this model is conditional; give "condition" (${spec.kind === 'class' ? `a class label in 0…${spec.classes - 1}` : `a context vector of dimension ${spec.dim}`}, or one per row)`);
    }
    return { values: conditionRows(spec, condition, n, `${where}: condition`) };
  };
  // Runs `bound` with the rows' condition batch; an unconditional model keeps its exact old path.
  const withCondition = (x: tf.Tensor2D, condition: ConditionInput | undefined, where: string, bound: (c: { condition?: ConditionBatch }) => tf.Tensor1D): tf.Tensor1D => {
    checkRows(x, dim, where);
    if (spec === undefined && condition === undefined) return bound({});
    return tf.tidy(() => bound({ condition: batchOf(condition, x.shape[0], where)! }));
  };
  const model: VaeModel = {
    method,
    options,
    maps: { encoder, decoder },
    dim,
    ...(spec ? { condition: spec } : {}),
    latentDim: k,
    nfe: 1,
    nfeFor: () => 1,
    sample(n: number, rng: Rng, sampleOptions?: SampleOptions): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`${method}: sample count must be a non-negative integer, got ${n}`);
      if (sampleOptions?.guidance !== undefined) {
        throw new TypeError(`${method}.sample: "guidance" applies to flows trained with condition dropout; a VAE samples p(x | c) directly`);
      }
      const stochastic = sampleOptions?.stochastic ?? options.sampleNoise;
      return tf.tidy(() => {
        const condition = batchOf(sampleOptions?.condition, n, `${method}.sample`);
        const params = decoder.parameters(rng.fold(0).normal([n, k]) as tf.Tensor2D, condition);
        return stochastic ? decoder.draw(params, rng.fold(1)) : decoder.mean(params);
      });
    },
    logProb(x: tf.Tensor2D, condition?: ConditionInput): tf.Tensor1D {
      return withCondition(x, condition, `${method}.logProb`, (c) =>
        vaeLogLikelihood(networks, x, { samples: options.logProbSamples, rng: createRng(VAE_LOG_PROB_SEED), ...c }),
      );
    },
    elbo(x, rng, samples = 1, condition) {
      return withCondition(x, condition, `${method}.elbo`, (c) => elbo(networks, x, { rng, samples, ...c }));
    },
    iwaeBound(x, rng, samples, condition) {
      return withCondition(x, condition, `${method}.iwaeBound`, (c) => iwaeBound(networks, x, { rng, samples, ...c }));
    },
    extra: () => ({}),
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
  if (options.dequantize) {
    const levels = options.levels ?? 256;
    model.bitsPerDim = (x, rng, samples = 1, condition) =>
      withCondition(x, condition, `${method}.bitsPerDim`, (c) =>
        tf.tidy(() => bitsPerDimension(iwaeBound(networks, uniformDequantize(x, levels, rng.fold(0)), { rng: rng.fold(1), samples, ...c }), dim, levels)),
      );
  }
  return model;
}
