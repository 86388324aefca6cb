// A cloud of N particles as a map from Uniform[0, 1) to R^d: u ↦ x_{⌊N u⌋}, the pushforward that
// turns the uniform law into the empirical measure (1/N) Σ δ_{x_i}. Its only weights are the
// positions `[N, d]`, so a particle flow is saved and loaded like any other model.
import * as tf from '@tensorflow/tfjs-core';
import { reserveParameters } from '@pfm/core';
import { z } from 'zod';
import type { PushforwardMap, Rng } from '@pfm/core';

/** Options of the `particle-cloud` map: the number of particles and their dimension. */
export const particleCloudOptionsSchema = z
  .object({
    /** Number of particles N. */
    count: z.number().int().positive(),
    dim: z.number().int().positive(),
  })
  .strict();

/** Options of {@link particleCloud}. */
export type ParticleCloudOptions = z.input<typeof particleCloudOptionsSchema>;

/** A particle cloud: positions `[N, d]` as a map from Uniform[0, 1) (`[n, 1]` → `[n, d]`). */
export interface ParticleCloud extends PushforwardMap {
  /** The positions `[N, d]` (a trainable variable). */
  readonly positions: tf.Variable;
  readonly count: number;
}

let cloudCounter = 0;

/** N particles initialised from N(0, I) with `rng`. `apply(u)` takes u `[n, 1]` in [0, 1). */
export function particleCloud(options: ParticleCloudOptions, rng: Rng): ParticleCloud {
  const { count, dim } = particleCloudOptionsSchema.parse(options);
  reserveParameters(count * dim, `particle cloud (${count} × ${dim})`);
  const positions = tf.tidy(() => tf.variable(rng.normal([count, dim]), true, `particles${cloudCounter++}/positions`));
  return {
    inputDim: 1,
    outputDim: dim,
    nfe: 0,
    count,
    positions,
    variables: [positions],
    apply(u: tf.Tensor2D): tf.Tensor2D {
      if (u.rank !== 2 || u.shape[1] !== 1) throw new RangeError(`particle-cloud: expected uniform input [n, 1], got [${u.shape.join(', ')}]`);
      return tf.tidy(() => {
        const index = tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.reshape(u, [-1]), count)), 0, count - 1), 'int32');
        return tf.gather(positions, index) as tf.Tensor2D;
      });
    },
    toSpec() {
      return { type: 'particle-cloud', options: { count, dim } };
    },
    dispose() {
      positions.dispose();
    },
  };
}
