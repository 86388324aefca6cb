// 1-D uniform U(low, high): x = low + (high − low)·u, u ~ U[0, 1);
// log p(x) = −log(high − low) on [low, high], −∞ elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import type { DensityMeasure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `uniform1d`; `high` must exceed `low`. */
export const uniform1dSchema = z
  .strictObject({
    low: z.number().default(0).describe('left end'),
    high: z.number().default(1).describe('right end, greater than low'),
  })
  .refine((o) => o.high > o.low, { message: 'must be greater than low', path: ['high'] });

/** Options accepted by the generator (the input type of `uniform1dSchema`; every field optional). */
export type Uniform1dOptions = z.input<typeof uniform1dSchema>;

/** The 1-D uniform law on (low, high): `sample(n, rng)` → `[n, 1]`, `logProb` `[n, 1]` → `[n]` (exact). */
export function uniform1d(options?: Uniform1dOptions): DensityMeasure {
  const { low, high } = parseOptions('uniform-1d', uniform1dSchema, options);
  const logDensity = -Math.log(high - low);
  return toyMeasure(
    'uniform-1d',
    1,
    (n, rng) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = low + (high - low) * rng.next();
      return out;
    },
    (x) =>
      tf.tidy(() => {
        const v = tf.reshape(x, [-1]);
        const inside = tf.logicalAnd(tf.greaterEqual(v, low), tf.lessEqual(v, high));
        return tf.where(inside, tf.fill([v.size], logDensity), tf.fill([v.size], -Infinity)) as tf.Tensor1D;
      }),
  );
}
