// 1-D Gaussian N(mean, std²): x = mean + std·ε, ε ~ N(0, 1);
// log p(x) = −½((x − mean)/std)² − log std − ½ log 2π.
import * as tf from '@tensorflow/tfjs-core';
import type { DensityMeasure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `gaussian1d`. */
export const gaussian1dSchema = z.strictObject({
  mean: z.number().default(0).describe('mean'),
  std: z.number().positive().default(1).describe('standard deviation'),
});

/** Options accepted by the generator (the input type of `gaussian1dSchema`; every field optional). */
export type Gaussian1dOptions = z.input<typeof gaussian1dSchema>;

/** The 1-D Gaussian N(mean, std²): `sample(n, rng)` → `[n, 1]`, `logProb` `[n, 1]` → `[n]` (exact). */
export function gaussian1d(options?: Gaussian1dOptions): DensityMeasure {
  const { mean, std } = parseOptions('gaussian-1d', gaussian1dSchema, options);
  const logNormaliser = -Math.log(std) - 0.5 * Math.log(2 * Math.PI);
  return toyMeasure(
    'gaussian-1d',
    1,
    (n, rng) => {
      const out = rng.normalArray(n);
      for (let i = 0; i < n; i++) out[i] = mean + std * out[i]!;
      return out;
    },
    (x) =>
      tf.tidy(() => {
        const z = tf.div(tf.sub(tf.reshape(x, [-1]), mean), std);
        return tf.add(tf.mul(tf.square(z), -0.5), logNormaliser) as tf.Tensor1D;
      }),
  );
}
