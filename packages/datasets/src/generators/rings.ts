// Concentric rings: k ~ U{1, …, count}, θ ~ U(0, 2π), x = scale·(k/count)(cos θ, sin θ) + noise·ε.
// log p(x) = log (1/count)Σ_k exp(−(ρ − R_k)²/(2σ²)) I0e(ρR_k/σ²)/(2πσ²), R_k = scale·k/count, σ = noise.
// FFJORD lib/toy_data.py "rings" (residual-flows version): 4 rings of radii 3, 2.25, 1.5, 0.75, noise 0.08 added after scaling.
import type { Measure, Rng } from '@pfm/core';
import { z } from 'zod';
import { ringMixtureLogProb } from '../math/ring-mixture-log-prob.js';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** Options of `rings` (defaults: FFJORD). */
export const ringsSchema = z.strictObject({
  count: z.number().int().positive().default(4).describe('number of rings; ring k has radius scale·k/count'),
  scale: z.number().positive().default(3).describe('radius of the outer ring'),
  noise: z.number().nonnegative().default(0.08).describe('std of the Gaussian noise, after scaling'),
});

/** Options accepted by the generator (the input type of `ringsSchema`; every field optional). */
export type RingsOptions = z.input<typeof ringsSchema>;

/**
 * `count` equally likely concentric circles of radii scale·k/count, k = 1…count, blurred by
 * N(0, noise² I); `sample(n, rng)` → `[n, 2]`. `logProb` `[n, 2]` → `[n]` is exact (Bessel-I0
 * closed form) and present when noise > 0. FFJORD places the angles on an even grid with n/4
 * points per ring; here ring and angle are i.i.d. (same law).
 */
export function rings(options?: RingsOptions): Measure {
  const { count, scale, noise } = parseOptions('rings', ringsSchema, options);
  const radii = Array.from({ length: count }, (_, k) => (scale * (k + 1)) / count);
  const sampler = (n: number, rng: Rng) => {
    const radius = new Float64Array(n);
    const theta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      radius[i] = radii[rng.int(count)]!;
      theta[i] = 2 * Math.PI * rng.next();
    }
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      out[2 * i] = radius[i]! * Math.cos(theta[i]!) + noise * eps[2 * i]!;
      out[2 * i + 1] = radius[i]! * Math.sin(theta[i]!) + noise * eps[2 * i + 1]!;
    }
    return out;
  };
  if (noise === 0) return toyMeasure('rings', 2, sampler);
  const weights = radii.map(() => 1 / count);
  return toyMeasure('rings', 2, sampler, (x) => ringMixtureLogProb(x, radii, weights, noise));
}
