// [particles] An interacting-particle flow (Cabannes, footnote 7; the Wasserstein gradient flow of
// a discrepancy after Otto 2001; the MMD flow of Arbel et al. 2019, eq. 8): N particles x_i, no
// network, moved by the gradient of F(μ) = D(μ, data) at μ = (1/N) Σ δ_{x_i}. The loss is N·D, so
// ∂(N·D)/∂x_i = ∇(δF/δμ)(x_i) and an SGD step of size η is the explicit Euler step
// x_i ← x_i − η ∇(δF/δμ)(x_i) of the flow (other optimizers precondition it).
// The model returns the particles: it is not a generator of new points.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, entryRefSchema, type Model, type Rng } from '@pfm/core';
import { particleCloud, type ParticleCloud } from '../maps/particle-cloud.js';

/** Options of `particles` (the discrepancy and the number of particles). */
export const particlesSchema = z
  .object({
    /** The discrepancy whose gradient flow moves the particles. */
    loss: entryRefSchema('discrepancy', 'mmd'),
    /** Number of particles N (initialised from N(0, I)). */
    count: z.number().int().positive().max(1_000_000).default(1000),
  })
  .strict();

/** Parsed options of `particles`. */
export type ParticlesOptions = z.output<typeof particlesSchema>;

/**
 * The particles as a Model: `sample(n)` returns n distinct particles in a random order (n ≤ N) or
 * draws with replacement (n > N). NFE 0: no network is evaluated.
 */
export function particleModel(options: ParticlesOptions, cloud: ParticleCloud): Model {
  return {
    method: 'particles',
    options,
    maps: { particles: cloud },
    dim: cloud.outputDim,
    nfe: 0,
    nfeFor: () => 0,
    sample(n: number, rng: Rng): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`particles.sample: n must be a non-negative integer, got ${n}`);
      const idx = n <= cloud.count ? rng.permutation(cloud.count).slice(0, n) : Int32Array.from({ length: n }, () => rng.int(cloud.count));
      return tf.tidy(() => tf.gather(cloud.positions, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
    },
    dispose() {
      cloud.dispose();
    },
  };
}

/** Registry entry `particles`. */
export const particles = defineObjective({
  id: 'particles',
  description: 'Interacting particles moved by the gradient flow of a discrepancy (e.g. the MMD flow); returns the particles, not a generator',
  schema: particlesSchema,
  create(options, ctx) {
    const loss = ctx.registry.create('discrepancy', options.loss, {}, 'particles.loss');
    const cloud = particleCloud({ count: options.count, dim: ctx.dim }, ctx.rng.fold(0));
    return {
      players: [
        {
          name: 'particles',
          variables: cloud.variables,
          loss: ({ batch }) => tf.tidy(() => tf.mul(loss(cloud.positions as tf.Tensor as tf.Tensor2D, batch), options.count) as tf.Scalar),
        },
      ],
      model: particleModel(options, cloud),
    };
  },
  load(parts) {
    const cloud = parts.maps.particles as ParticleCloud | undefined;
    if (!cloud || cloud.toSpec().type !== 'particle-cloud') {
      throw new RangeError(`particles: the model file has no "particles" map of type particle-cloud`);
    }
    if (cloud.outputDim !== parts.dim) throw new RangeError(`particles: the cloud has dimension ${cloud.outputDim}, the model ${parts.dim}`);
    return particleModel(parts.options, cloud);
  },
});
