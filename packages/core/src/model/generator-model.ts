// A one-step sampler X = φ(Z), Z ~ ν, with ν = N(0, I) or Uniform[0, 1]^k: the model of every
// statistics-matching objective and of distilled or curriculum-trained generators.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { PushforwardMap } from '../contracts/map.js';
import type { Model } from '../contracts/model.js';
import type { NetworkConfig } from '../contracts/objective.js';
import type { Rng } from '../rng/rng.js';
import { OptionsError } from '../registry/registry.js';
import { mlp, mlpOptionsSchema, type Mlp } from '../maps/mlp.js';

export const NOISES = ['gaussian', 'uniform'] as const;
export type Noise = (typeof NOISES)[number];

/** Options every one-step generator objective shares. */
export const generatorOptionsShape = {
  /** Latent dimension k of the noise; 0 means "the data dimension". */
  latentDim: z.number().int().min(0).default(0),
  /** The noise ν: standard Gaussian or uniform on [0, 1]^k. */
  noise: z.enum(NOISES).default('gaussian'),
};

/** The options with `latentDim` 0 ("the data dimension") resolved to `dim`. */
export function withLatentDim<T extends { latentDim: number }>(options: T, dim: number): T {
  return { ...options, latentDim: options.latentDim === 0 ? dim : options.latentDim };
}

/** Draws `n` latent points `[n, k]` from ν. */
export function sampleNoise(noise: Noise, n: number, k: number, rng: Rng): tf.Tensor2D {
  return (noise === 'uniform' ? rng.uniform([n, k]) : rng.normal([n, k])) as tf.Tensor2D;
}

/**
 * Builds an MLP from the recipe's network options (`model` in a config) over defaults; errors
 * name the field as `model.<field>`.
 */
export function createNetwork(
  network: NetworkConfig,
  dims: { inputDim: number; outputDim: number },
  rng: Rng,
  defaults: { hidden?: number[]; activation?: string; outputActivation?: string; init?: string; finalScale?: number } = {},
): Mlp {
  const merged = { ...defaults, ...network, ...dims };
  const result = mlpOptionsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new OptionsError(`bad model: model.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return mlp(result.data, rng);
}

/** A Model that samples φ(Z). `options` must contain the resolved `latentDim` and `noise`. */
export function generatorModel(args: {
  method: string;
  options: Record<string, unknown> & { latentDim: number; noise: Noise };
  generator: PushforwardMap;
  /** Other networks saved with the model (e.g. a GAN's critic). */
  extraMaps?: Record<string, PushforwardMap>;
}): Model {
  const { generator } = args;
  const k = args.options.latentDim;
  if (generator.inputDim !== k) {
    throw new RangeError(`generator input dim ${generator.inputDim} does not match latentDim ${k}`);
  }
  const maps = { generator, ...(args.extraMaps ?? {}) };
  return {
    method: args.method,
    options: args.options,
    dim: generator.outputDim,
    maps,
    nfe: 1,
    nfeFor: () => 1,
    sample(n: number, rng: Rng): tf.Tensor2D {
      return tf.tidy(() => generator.apply(sampleNoise(args.options.noise, n, k, rng)));
    },
    dispose() {
      for (const m of Object.values(maps)) m.dispose();
    },
  };
}
