// A one-step sampler X = φ(Z), Z ~ ν, with ν = N(0, I) or Uniform[0, 1]^k: the model of every
// statistics-matching objective and of distilled or curriculum-trained generators. A conditional
// generator φ(z | c) (one built with a `condition`) samples X = φ(Z | c) for the requested c.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { PushforwardMap } from '../contracts/map.js';
import type { Model } from '../contracts/model.js';
import type { NetworkConfig } from '../contracts/objective.js';
import type { Rng } from '../rng/rng.js';
import type { SampleOptions } from '../contracts/model.js';
import { conditionRows } from './condition-rows.js';
import { OptionsError, type Registry } from '../registry/registry.js';
import { mlp, mlpOptionsSchema } from '../maps/mlp.js';
import { isImageShape, networkSpec, type NetworkRole } from './network-spec.js';

export const NOISES = ['gaussian', 'uniform'] as const;
export type Noise = (typeof NOISES)[number];

/** Latent dimension a generator gets on image data when `latentDim` is 0 (DCGAN uses 100; 784 would be wasteful). */
export const IMAGE_LATENT_DIM = 64;

/** Options every one-step generator objective shares. */
export const generatorOptionsShape = {
  /** Latent dimension k of the noise; 0 means "the data dimension" (on images, IMAGE_LATENT_DIM). */
  latentDim: z.number().int().min(0).default(0),
  /** The noise ν: standard Gaussian or uniform on [0, 1]^k. */
  noise: z.enum(NOISES).default('gaussian'),
};

/**
 * The options with `latentDim` 0 resolved: to `dim` on vector data, to IMAGE_LATENT_DIM when
 * `eventShape` is an image `[h, w, c]`.
 */
export function withLatentDim<T extends { latentDim: number }>(options: T, dim: number, eventShape?: readonly number[]): T {
  return { ...options, latentDim: options.latentDim !== 0 ? options.latentDim : isImageShape(eventShape) ? IMAGE_LATENT_DIM : dim };
}

/** Draws `n` latent points `[n, k]` from ν. */
export function sampleNoise(noise: Noise, n: number, k: number, rng: Rng): tf.Tensor2D {
  return (noise === 'uniform' ? rng.uniform([n, k]) : rng.normal([n, k])) as tf.Tensor2D;
}

/**
 * Builds the network of `role` from the recipe's network options (`model` in a config): the map
 * `model.type` names, or by default an MLP on vectors and, when `image.eventShape` is `[h, w, c]`,
 * the role's convolutional map (IMAGE_NETWORK_DEFAULTS: generators a `conv-generator`, critics and
 * encoders a `conv-encoder`). An MLP is built from `defaults` under `model` exactly as before; other
 * maps come from `image.registry` with the rest of `model` as their options (`defaults` are MLP
 * widths and do not apply). Errors name the field as `model.<field>`.
 */
export function createNetwork(
  network: NetworkConfig,
  dims: { inputDim: number; outputDim: number },
  rng: Rng,
  defaults: { hidden?: number[]; activation?: string; outputActivation?: string; init?: string; finalScale?: number } = {},
  image: { registry?: Registry; eventShape?: readonly number[]; role?: Exclude<NetworkRole, 'velocity'> } = {},
): PushforwardMap {
  const role = image.role ?? 'generator';
  const spec = networkSpec(network, role, dims, image.eventShape);
  if (spec.type === 'mlp') {
    const { type: _type, ...options } = network;
    const merged = { ...defaults, ...options, ...dims };
    const result = mlpOptionsSchema.safeParse(merged);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new OptionsError(`bad model: model.${issue.path.map(String).join('.')}: ${issue.message}`);
    }
    return mlp(result.data, rng);
  }
  if (!image.registry) {
    throw new OptionsError(`bad model: model.type: building "${spec.type}" needs a registry that provides it (none was given)`);
  }
  const built = image.registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  const map = built as Partial<PushforwardMap>;
  if (typeof map.apply !== 'function' || map.inputDim !== dims.inputDim || map.outputDim !== dims.outputDim) {
    built.dispose();
    throw new OptionsError(
      `bad model: model.type: "${spec.type}" does not build a map R^${dims.inputDim} → R^${dims.outputDim}, which the ${role} needs` +
        (typeof map.apply !== 'function' ? ' (it builds a vector field v(t, x))' : ` (it maps R^${map.inputDim} → R^${map.outputDim})`),
    );
  }
  return built as PushforwardMap;
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
  const spec = generator.condition;
  const where = `${args.method}.sample`;
  return {
    method: args.method,
    options: args.options,
    dim: generator.outputDim,
    ...(spec ? { condition: spec } : {}),
    maps,
    nfe: 1,
    nfeFor: () => 1,
    sample(n: number, rng: Rng, options: SampleOptions = {}): tf.Tensor2D {
      if (options.guidance !== undefined) throw new TypeError(`${where}: "guidance" applies to flows trained with condition dropout, not to a one-step generator`);
      if (spec === undefined) {
        if (options.condition !== undefined) throw new TypeError(`${where}: "condition" given, but this model is unconditional (trained without labels or context)`);
        return tf.tidy(() => generator.apply(sampleNoise(args.options.noise, n, k, rng)));
      }
      if (options.condition === undefined) {
        throw new TypeError(`${where}: this model is conditional; give "condition" (${spec.kind === 'class' ? `a class label in 0…${spec.classes - 1}` : `a context vector of dimension ${spec.dim}`}, or one per sample)`);
      }
      const condition = options.condition;
      return tf.tidy(() => generator.apply(sampleNoise(args.options.noise, n, k, rng), { values: conditionRows(spec, condition, n, `${where}: condition`) }));
    },
    dispose() {
      for (const m of Object.values(maps)) m.dispose();
    },
  };
}
