// S curve (sklearn make_s_curve, coordinates (x, z)): t ~ U(−1.5π, 1.5π),
//   x = scale·((sin t, sign(t)(cos t − 1)) + noise·ε),  ε ~ N(0, I₂).
// torchcfm runner SKLearnDataModule "scurve" ([SF]2M Table 2, N→scurve): make_s_curve(noise=0.05)[:, [0, 2]] · 1.5.
// FFJORD has no S curve; torchcfm's two_dim.py "scurve" (from DSB) uses noise 0.1, standardised by the batch, × 7.
import type { Measure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `sCurve` (defaults: the torchcfm runner). */
export const sCurveSchema = z.strictObject({
  noise: z.number().nonnegative().default(0.05).describe('std of the Gaussian noise, before scaling (sklearn units)'),
  scale: z.number().positive().default(1.5).describe('final factor'),
});

/** Options accepted by the generator (the input type of `sCurveSchema`; every field optional). */
export type SCurveOptions = z.input<typeof sCurveSchema>;

/**
 * The S curve seen from the side: (sin t, sign(t)(cos t − 1)) for t ∈ (−1.5π, 1.5π), an "S" of
 * height 4 from (1, 1)·scale down to (−1, −1)·scale, blurred and scaled; `sample(n, rng)` → `[n, 2]`.
 * No closed-form density.
 */
export function sCurve(options?: SCurveOptions): Measure {
  const { noise, scale } = parseOptions('scurve', sCurveSchema, options);
  return toyMeasure('scurve', 2, (n, rng) => {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = 3 * Math.PI * (rng.next() - 0.5);
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      out[2 * i] = scale * (Math.sin(ti) + noise * eps[2 * i]!);
      out[2 * i + 1] = scale * (Math.sign(ti) * (Math.cos(ti) - 1) + noise * eps[2 * i + 1]!);
    }
    return out;
  });
}
