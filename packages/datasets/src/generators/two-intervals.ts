// Uniform law on (0, ¼) ∪ (¾, 1): u ~ U[0, ½), x = u if u < ¼ else u + ½; log p(x) = log 2 on the
// two intervals, −∞ elsewhere. The 1-D target of footnote 3 of Cabannes, "Touring sampling with
// pushforward maps" (arXiv 2311.13845): a law whose support has a gap.
import * as tf from '@tensorflow/tfjs-core';
import type { DensityMeasure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `twoIntervals`: none (the law is fixed). */
export const twoIntervalsSchema = z.strictObject({});

/** Options accepted by the generator (the input type of `twoIntervalsSchema`; every field optional). */
export type TwoIntervalsOptions = z.input<typeof twoIntervalsSchema>;

/**
 * The uniform law on (0, ¼) ∪ (¾, 1), density 2 on each interval: `sample(n, rng)` → `[n, 1]`,
 * `logProb` `[n, 1]` → `[n]` (exact; the closed intervals count as inside).
 */
export function twoIntervals(options?: TwoIntervalsOptions): DensityMeasure {
  parseOptions('two-intervals', twoIntervalsSchema, options);
  return toyMeasure(
    'two-intervals',
    1,
    (n, rng) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = 0.5 * rng.next();
        out[i] = u < 0.25 ? u : u + 0.5;
      }
      return out;
    },
    (x) =>
      tf.tidy(() => {
        const v = tf.reshape(x, [-1]);
        const left = tf.logicalAnd(tf.greaterEqual(v, 0), tf.lessEqual(v, 0.25));
        const right = tf.logicalAnd(tf.greaterEqual(v, 0.75), tf.lessEqual(v, 1));
        return tf.where(tf.logicalOr(left, right), tf.fill([v.size], Math.LN2), tf.fill([v.size], -Infinity)) as tf.Tensor1D;
      }),
  );
}
