// Pinwheel: k ~ U{0, …, arms−1}, f = (1 + σ_r ε₁, σ_t ε₂), a = 2πk/arms + rate·e^{f₁};
//   x = scale·(f₁ cos a + f₂ sin a, −f₁ sin a + f₂ cos a)   (f rotated by −a, as FFJORD's einsum "ti,tij->tj").
// FFJORD lib/toy_data.py "pinwheel" (after Johnson et al. 2016): σ_r 0.3, σ_t 0.1, 5 arms, rate 0.25, scale 2.
// torchcfm runner two_dim.py "pinwheel" (from DSB): the same with scale 7.5.
import type { Measure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `pinwheel` (defaults: FFJORD). */
export const pinwheelSchema = z.strictObject({
  radialStd: z.number().nonnegative().default(0.3).describe('std of the radial coordinate around 1'),
  tangentialStd: z.number().nonnegative().default(0.1).describe('std of the tangential coordinate'),
  arms: z.number().int().positive().default(5).describe('number of arms'),
  rate: z.number().default(0.25).describe('twist: the angle grows by rate·exp(radius)'),
  scale: z.number().positive().default(2).describe('final factor (FFJORD 2, torchcfm two_dim 7.5)'),
});

/** Options accepted by the generator (the input type of `pinwheelSchema`; every field optional). */
export type PinwheelOptions = z.input<typeof pinwheelSchema>;

/**
 * A pinwheel of `arms` curved arms, `sample(n, rng)` → `[n, 2]`. A point of arm k at radial
 * coordinate f₁ ≈ ‖x‖/scale sits at polar angle ≈ −(2πk/arms + rate·e^{f₁}). No closed-form density.
 * FFJORD draws exactly ⌊n/arms⌋ points per arm (and returns fewer than n points when arms ∤ n);
 * here the arm is drawn i.i.d. and exactly n points are returned.
 */
export function pinwheel(options?: PinwheelOptions): Measure {
  const o = parseOptions('pinwheel', pinwheelSchema, options);
  return toyMeasure('pinwheel', 2, (n, rng) => {
    const arm = new Uint32Array(n);
    for (let i = 0; i < n; i++) arm[i] = rng.int(o.arms);
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const f1 = 1 + o.radialStd * eps[2 * i]!;
      const f2 = o.tangentialStd * eps[2 * i + 1]!;
      const a = (2 * Math.PI * arm[i]!) / o.arms + o.rate * Math.exp(f1);
      const c = Math.cos(a);
      const s = Math.sin(a);
      out[2 * i] = o.scale * (f1 * c + f2 * s);
      out[2 * i + 1] = o.scale * (-f1 * s + f2 * c);
    }
    return out;
  });
}
