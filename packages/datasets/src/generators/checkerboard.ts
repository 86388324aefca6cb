// Checkerboard: x₁ ~ U[−2, 2), x₂ = U[0, 1) − 2B + (⌊x₁⌋ mod 2), B ~ Bernoulli(½); x = scale·(x₁, x₂).
// The law is uniform on the 8 unit squares [i, i+1)×[j, j+1), i, j ∈ {−2, …, 1}, i + j even (scaled):
// log p(x) = −log(8 scale²) there, −∞ elsewhere. FFJORD lib/toy_data.py "checkerboard": scale 2.
// torchcfm runner two_dim.py "checker" (from DSB, De Bortoli et al. 2021): the same with scale 7.5.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionalSource, DensityMeasure } from '@pfm/core';
import { z } from 'zod';
import { labeledToyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `checkerboard`. */
export const checkerboardSchema = z.strictObject({
  scale: z.number().positive().default(2).describe('side of one square (FFJORD 2, torchcfm two_dim 7.5)'),
});

/** Options accepted by the generator (the input type of `checkerboardSchema`; every field optional). */
export type CheckerboardOptions = z.input<typeof checkerboardSchema>;

/**
 * The 4×4 checkerboard on [−2·scale, 2·scale)², uniform on its 8 "black" squares (those whose
 * lower-left corner (i, j)·scale has i + j even), `sample(n, rng)` → `[n, 2]`;
 * `logProb(x)` `[n, 2]` → `[n]` is exact: −log(8·scale²) on a black square, −∞ elsewhere.
 * Labelled: `sampleWithCondition` gives each point's black square, 2·(i + 2) + b for the column
 * i ∈ {−2, …, 1} and the band b (1 for the lower square of the column, 0 for the upper).
 */
export function checkerboard(options?: CheckerboardOptions): DensityMeasure & ConditionalSource {
  const { scale } = parseOptions('checkerboard', checkerboardSchema, options);
  const logDensity = -Math.log(8 * scale * scale);
  return labeledToyMeasure(
    'checkerboard',
    2,
    8,
    (n, rng, labels) => {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const x1 = -2 + 4 * rng.next();
        const u = rng.next();
        const band = rng.next() < 0.5 ? 1 : 0;
        const column = Math.floor(x1);
        const x2 = u - 2 * band + (column - 2 * Math.floor(column / 2));
        // The black cell: two per column (bands 1 and 0), numbered column by column from the left.
        if (labels) labels[i] = 2 * (column + 2) + band;
        out[2 * i] = scale * x1;
        out[2 * i + 1] = scale * x2;
      }
      return out;
    },
    (x) =>
      tf.tidy(() => {
        const unit = tf.div(x, scale);
        const inBox = tf.all(tf.lessEqual(tf.abs(unit), 2), 1);
        // The closed box's far edges (x = 2) belong to the last square, not to a 5th one.
        const cell = tf.clipByValue(tf.floor(unit), -2, 1);
        const sum = tf.sum(cell, 1);
        const even = tf.equal(tf.sub(sum, tf.mul(tf.floor(tf.div(sum, 2)), 2)), 0);
        const inside = tf.logicalAnd(inBox, even);
        const n = x.shape[0];
        return tf.where(inside, tf.fill([n], logDensity), tf.fill([n], -Infinity)) as tf.Tensor1D;
      }),
  );
}
