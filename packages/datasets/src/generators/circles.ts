// Two circles (sklearn make_circles): r ~ U{1, factor}, θ ~ U(0, 2π), x = scale·(r(cos θ, sin θ) + noise·ε).
// log p(x) = log ½Σ_r exp(−(ρ − R)²/(2σ²)) I0e(ρR/σ²)/(2πσ²), R = scale·r, σ = scale·noise, ρ = ‖x‖.
// FFJORD lib/toy_data.py "circles": factor 0.5, noise 0.08, scale 3.
// torchcfm runner SKLearnDataModule "circles": factor 0.5, noise 0.05, scale 3.5.
import type { Measure, Rng } from '@pfm/core';
import { z } from 'zod';
import { ringMixtureLogProb } from '../math/ring-mixture-log-prob.js';
import { toyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** The published parameter sets of `circles`. */
export const CIRCLES_VARIANTS = {
  /** FFJORD: `make_circles(factor=0.5, noise=0.08) * 3`. */
  ffjord: { factor: 0.5, noise: 0.08, scale: 3 },
  /** torchcfm runner: `make_circles(factor=0.5, noise=0.05) * 3.5`. */
  torchcfm: { factor: 0.5, noise: 0.05, scale: 3.5 },
} as const;

/** Options of `circles`: a `variant` preset; `factor`, `noise` and `scale` override it. */
export const circlesSchema = z.strictObject({
  variant: z.enum(['ffjord', 'torchcfm']).default('ffjord').describe('parameter preset: ffjord or torchcfm'),
  factor: z.number().gt(0).lt(1).optional().describe('radius of the inner circle relative to the outer one'),
  noise: z.number().nonnegative().optional().describe('std of the Gaussian noise, before scaling (sklearn units)'),
  scale: z.number().positive().optional().describe('radius of the outer circle'),
});

/** Options accepted by the generator (the input type of `circlesSchema`; every field optional). */
export type CirclesOptions = z.input<typeof circlesSchema>;

/**
 * Two concentric circles of radii scale and factor·scale, each with probability ½, blurred by
 * N(0, (scale·noise)² I); `sample(n, rng)` → `[n, 2]`. `logProb` `[n, 2]` → `[n]` is exact (a
 * circle convolved with a Gaussian has a Bessel-I0 closed form) and present when noise > 0.
 * sklearn places the angles on an even grid with n/2 points per circle; here they are i.i.d.
 */
export function circles(options?: CirclesOptions): Measure {
  const o = parseOptions('circles', circlesSchema, options);
  const preset = CIRCLES_VARIANTS[o.variant];
  const factor = o.factor ?? preset.factor;
  const noise = o.noise ?? preset.noise;
  const scale = o.scale ?? preset.scale;
  const sampler = (n: number, rng: Rng) => {
    const radius = new Float64Array(n);
    const theta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      radius[i] = rng.next() < 0.5 ? 1 : factor;
      theta[i] = 2 * Math.PI * rng.next();
    }
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      out[2 * i] = scale * (radius[i]! * Math.cos(theta[i]!) + noise * eps[2 * i]!);
      out[2 * i + 1] = scale * (radius[i]! * Math.sin(theta[i]!) + noise * eps[2 * i + 1]!);
    }
    return out;
  };
  if (noise === 0) return toyMeasure('circles', 2, sampler);
  return toyMeasure('circles', 2, sampler, (x) => ringMixtureLogProb(x, [scale, factor * scale], [0.5, 0.5], noise * scale));
}
