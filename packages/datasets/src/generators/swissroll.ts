// Swiss roll (sklearn make_swiss_roll, coordinates (x, z)): t ~ U(1.5π, 4.5π),
//   x = scale·((t cos t, t sin t) + noise·ε),  ε ~ N(0, I₂).
// FFJORD lib/toy_data.py "swissroll": make_swiss_roll(noise=1.0)[:, [0, 2]] / 5 → noise 1, scale 0.2.
// torchcfm runner two_dim.py "swiss" (from DSB): noise 0.1, then standardised by the batch's own mean and std, × 7.
import type { Measure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `swissRoll` (defaults: FFJORD). */
export const swissRollSchema = z.strictObject({
  noise: z.number().nonnegative().default(1).describe('std of the Gaussian noise, before scaling (sklearn units)'),
  scale: z.number().positive().default(0.2).describe('final factor (FFJORD divides by 5)'),
});

/** Options accepted by the generator (the input type of `swissRollSchema`; every field optional). */
export type SwissRollOptions = z.input<typeof swissRollSchema>;

/**
 * The 2-D swiss roll: the spiral r = t, t ∈ [1.5π, 4.5π], with t uniform (so denser per unit
 * length near the centre), blurred and scaled; `sample(n, rng)` → `[n, 2]`. No closed-form density.
 */
export function swissRoll(options?: SwissRollOptions): Measure {
  const { noise, scale } = parseOptions('swissroll', swissRollSchema, options);
  return toyMeasure('swissroll', 2, (n, rng) => {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = 1.5 * Math.PI * (1 + 2 * rng.next());
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      out[2 * i] = scale * (ti * Math.cos(ti) + noise * eps[2 * i]!);
      out[2 * i + 1] = scale * (ti * Math.sin(ti) + noise * eps[2 * i + 1]!);
    }
    return out;
  });
}
