// Two moons (sklearn make_moons): b ~ Bernoulli(½), θ ~ U(0, π),
//   p = (cos θ, sin θ) if b = 0, (1 − cos θ, ½ − sin θ) if b = 1;  x = scale·(p + noise·ε) + offset, ε ~ N(0, I₂).
// FFJORD lib/toy_data.py "moons" (Grathwohl et al. 2019): noise 0.1, scale 2, offset (−1, −0.2).
// torchcfm runner SKLearnDataModule "moons" (Tong et al. 2023/2024, [SF]2M Table 2): noise 0.05, scale 2, offset (−1, 0).
import type { ConditionalSource, Measure } from '@pfm/core';
import { z } from 'zod';
import { labeledToyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** The published parameter sets of `moons`. */
export const MOONS_VARIANTS = {
  /** FFJORD: `make_moons(noise=0.1) * 2 + [-1, -0.2]`. */
  ffjord: { noise: 0.1, scale: 2, offset: [-1, -0.2] as [number, number] },
  /** torchcfm runner: `make_moons(noise=0.05) * 2`, then `x[:, 0] -= 1`. */
  torchcfm: { noise: 0.05, scale: 2, offset: [-1, 0] as [number, number] },
} as const;

/** Options of `moons`: a `variant` preset; `noise`, `scale` and `offset` override it. */
export const moonsSchema = z.strictObject({
  variant: z.enum(['ffjord', 'torchcfm']).default('ffjord').describe('parameter preset: ffjord or torchcfm'),
  noise: z.number().nonnegative().optional().describe('std of the Gaussian noise, in unit-moon units (before scale)'),
  scale: z.number().positive().optional().describe('factor applied to the unit moons'),
  offset: z.tuple([z.number(), z.number()]).optional().describe('shift added after scaling, [x, y]'),
  stratified: z
    .boolean()
    .default(false)
    .describe("sklearn's layout: ⌊n/2⌋ points on the upper moon and the rest on the lower, angles on an even grid, in shuffled order"),
});

/** Options accepted by the generator (the input type of `moonsSchema`; every field optional). */
export type MoonsOptions = z.input<typeof moonsSchema>;

/**
 * Two interleaved half circles, `sample(n, rng)` → `[n, 2]`. The upper moon is the unit half
 * circle centred at `offset`, the lower one the unit half circle centred at (1, ½) (both scaled),
 * each with probability ½, blurred by `noise` (applied before `scale`, as in sklearn).
 *
 * By default the moon and the angle of each point are drawn i.i.d. With `stratified: true` a
 * sample is laid out as sklearn's `make_moons` does: ⌊n/2⌋ points on the upper moon and ⌈n/2⌉
 * on the lower, each moon's angles on an even grid `linspace(0, π, count)`, then the noise, in an
 * order shuffled by `rng`. Both have the same law as n → ∞, but a stratified sample is closer to
 * it: the W2 between two samples of 10,000 points falls (the floor under any W2 measured against
 * held-out points). No closed-form density. Labelled: `sampleWithCondition` gives each point's
 * moon (0 upper, 1 lower).
 *
 * @example moons({ variant: 'torchcfm' }).sample(256, createRng(0)) // [256, 2]
 */
export function moons(options?: MoonsOptions): Measure & ConditionalSource {
  const o = parseOptions('moons', moonsSchema, options);
  const preset = MOONS_VARIANTS[o.variant];
  const noise = o.noise ?? preset.noise;
  const scale = o.scale ?? preset.scale;
  const [dx, dy] = o.offset ?? preset.offset;
  return labeledToyMeasure('moons', 2, 2, (n, rng, labels) => {
    const lower = new Uint8Array(n);
    const theta = new Float64Array(n);
    if (o.stratified) {
      // sklearn: n_out = ⌊n/2⌋ upper points, n_in = n − n_out lower, each at linspace(0, π, count).
      const order = rng.permutation(n);
      const upperCount = Math.floor(n / 2);
      for (let k = 0; k < n; k++) {
        const onLower = k >= upperCount;
        const index = onLower ? k - upperCount : k;
        const count = onLower ? n - upperCount : upperCount;
        lower[order[k]!] = onLower ? 1 : 0;
        theta[order[k]!] = count > 1 ? (Math.PI * index) / (count - 1) : 0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        lower[i] = rng.next() < 0.5 ? 1 : 0;
        theta[i] = Math.PI * rng.next();
      }
    }
    const eps = rng.normalArray(2 * n);
    const out = new Float32Array(2 * n);
    labels?.set(lower);
    for (let i = 0; i < n; i++) {
      const c = Math.cos(theta[i]!);
      const s = Math.sin(theta[i]!);
      const px = lower[i] ? 1 - c : c;
      const py = lower[i] ? 0.5 - s : s;
      out[2 * i] = scale * (px + noise * eps[2 * i]!) + dx;
      out[2 * i + 1] = scale * (py + noise * eps[2 * i + 1]!) + dy;
    }
    return out;
  });
}
