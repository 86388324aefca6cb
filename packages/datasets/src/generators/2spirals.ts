// Two spirals: s ~ U{±1}, t = √u · degrees·π/180 with u ~ U(0, 1),
//   x = s·scale·(−t cos t + jitter·u₁, t sin t + jitter·u₂) + noise·ε,  u₁, u₂ ~ U(0, 1), ε ~ N(0, I₂).
// FFJORD lib/toy_data.py "2spirals": degrees 540, jitter 0.5, scale 1/3, noise 0.1.
// torchdyn generate_spirals (used by torchcfm's ToyDataset): degrees 780, jitter = noise (1e-4), scale 1, no Gaussian noise.
import type { Measure } from '@pfm/core';
import { z } from 'zod';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `twoSpirals` (defaults: FFJORD). */
export const twoSpiralsSchema = z.strictObject({
  degrees: z.number().positive().default(540).describe('angle swept by each arm, in degrees'),
  jitter: z.number().nonnegative().default(0.5).describe('width of the uniform offset added before scaling'),
  scale: z.number().positive().default(1 / 3).describe('factor applied to the arms'),
  noise: z.number().nonnegative().default(0.1).describe('std of the Gaussian noise added after scaling'),
});

/** Options accepted by the generator (the input type of `twoSpiralsSchema`; every field optional). */
export type TwoSpiralsOptions = z.input<typeof twoSpiralsSchema>;

/**
 * Two interleaved Archimedean spirals r = t, the second the point reflection of the first,
 * `sample(n, rng)` → `[n, 2]`. t = √u·t_max makes the points uniform in arc length for large t.
 * FFJORD returns exactly n/2 points per arm; here the arm is drawn i.i.d. No closed-form density.
 */
export function twoSpirals(options?: TwoSpiralsOptions): Measure {
  const o = parseOptions('2spirals', twoSpiralsSchema, options);
  const tMax = (o.degrees * Math.PI) / 180;
  return toyMeasure('2spirals', 2, (n, rng) => {
    const out = new Float32Array(2 * n);
    const arm = new Int8Array(n);
    const t = new Float64Array(n);
    const jitter = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      arm[i] = rng.next() < 0.5 ? 1 : -1;
      t[i] = Math.sqrt(rng.next()) * tMax;
      jitter[2 * i] = o.jitter * rng.next();
      jitter[2 * i + 1] = o.jitter * rng.next();
    }
    const eps = rng.normalArray(2 * n);
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      const sign = arm[i]! * o.scale;
      out[2 * i] = sign * (-Math.cos(ti) * ti + jitter[2 * i]!) + o.noise * eps[2 * i]!;
      out[2 * i + 1] = sign * (Math.sin(ti) * ti + jitter[2 * i + 1]!) + o.noise * eps[2 * i + 1]!;
    }
    return out;
  });
}
