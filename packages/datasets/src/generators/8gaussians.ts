// Eight Gaussians: k ~ U{0, …, 7}, x = radius·(cos(kπ/4), sin(kπ/4)) + std·ε, ε ~ N(0, I₂);
// log p(x) = logsumexp_k(−‖x − c_k‖²/(2 std²)) − log(8 · 2π std²).
// FFJORD lib/toy_data.py "8gaussians": centres 4·u_k, std 0.5, all divided by 1.414 → radius 4/1.414, std 0.5/1.414.
// torchcfm runner (TorchDynDataModule "gaussians" = torchdyn generate_gaussians, [SF]2M Table 2 N→8gaussians): radius 5, std 1.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionalSource, DensityMeasure } from '@pfm/core';
import { z } from 'zod';
import { labeledToyMeasure } from '../measure/toy-measure.js';
import { parseOptions } from '../options/parse-options.js';

/** The published parameter sets of `8gaussians`. */
export const EIGHT_GAUSSIANS_VARIANTS = {
  /** FFJORD: centres at radius 4 with std 0.5, then everything divided by 1.414 (not √2). */
  ffjord: { radius: 4 / 1.414, std: 0.5 / 1.414 },
  /** torchcfm runner / torchdyn `generate_gaussians(n_gaussians=8, radius=5, std_gaussians=1)`. */
  torchcfm: { radius: 5, std: 1 },
} as const;

/** Options of `eightGaussians`: a `variant` preset; `radius` and `std` override it. */
export const eightGaussiansSchema = z.strictObject({
  variant: z.enum(['ffjord', 'torchcfm']).default('ffjord').describe('parameter preset: ffjord or torchcfm'),
  radius: z.number().positive().optional().describe('distance of the 8 centres from the origin'),
  std: z.number().positive().optional().describe('standard deviation of each Gaussian'),
  stratified: z
    .boolean()
    .default(false)
    .describe("torchdyn's layout: the components take turns (n/8 points each, ±1), in shuffled order"),
});

/** Options accepted by the generator (the input type of `eightGaussiansSchema`; every field optional). */
export type EightGaussiansOptions = z.input<typeof eightGaussiansSchema>;

// The 8 centres radius·(cos(kπ/4), sin(kπ/4)), k = 0…7, row-major [8, 2].
function eightGaussiansCentres(radius: number): Float64Array {
  const c = new Float64Array(16);
  for (let k = 0; k < 8; k++) {
    c[2 * k] = radius * Math.cos((k * Math.PI) / 4);
    c[2 * k + 1] = radius * Math.sin((k * Math.PI) / 4);
  }
  return c;
}

/**
 * An equal-weight mixture of 8 isotropic Gaussians on a circle, `sample(n, rng)` → `[n, 2]`,
 * `logProb(x)` `[n, 2]` → `[n]` (exact). The centres are the 8 directions kπ/4 (the same set in
 * FFJORD and torchdyn, listed in a different order).
 *
 * torchdyn draws exactly n/8 points per component (and shifts each component by a constant
 * random offset of std 10⁻⁴, omitted here); here the component is drawn i.i.d. (same law), or
 * with `stratified: true` dealt in turn (⌊n/8⌋ or ⌈n/8⌉ points each) in an order shuffled by `rng`. Older torchdyn
 * releases ignored `radius` (centres on the unit circle); radius 5 is the current behaviour.
 * torchcfm's `sample_8gaussians` helper uses radius 5 and std 0.1^{1/4} ≈ 0.562 (its
 * MultivariateNormal gets covariance √0.1·I); its "twodim" moons→8gaussians set uses radius 12,
 * std 1.5: pass `radius`/`std` for those.
 *
 * Labelled: `condition` is 8 classes and `sampleWithCondition` gives each point's component k
 * (its centre is at angle kπ/4).
 */
export function eightGaussians(options?: EightGaussiansOptions): DensityMeasure & ConditionalSource {
  const o = parseOptions('8gaussians', eightGaussiansSchema, options);
  const preset = EIGHT_GAUSSIANS_VARIANTS[o.variant];
  const radius = o.radius ?? preset.radius;
  const std = o.std ?? preset.std;
  const centres = eightGaussiansCentres(radius);
  const logNormaliser = -Math.log(8 * 2 * Math.PI * std * std);
  return labeledToyMeasure(
    '8gaussians',
    2,
    8,
    (n, rng, labels) => {
      const component = new Uint8Array(n);
      if (o.stratified) {
        const order = rng.permutation(n);
        for (let k = 0; k < n; k++) component[order[k]!] = k % 8;
      } else {
        for (let i = 0; i < n; i++) component[i] = rng.int(8);
      }
      const eps = rng.normalArray(2 * n);
      const out = new Float32Array(2 * n);
      labels?.set(component);
      for (let i = 0; i < n; i++) {
        const k = component[i]!;
        out[2 * i] = centres[2 * k]! + std * eps[2 * i]!;
        out[2 * i + 1] = centres[2 * k + 1]! + std * eps[2 * i + 1]!;
      }
      return out;
    },
    (x) =>
      tf.tidy(() => {
        const c = tf.tensor2d(Float32Array.from(centres), [8, 2]);
        const d2 = tf.sum(tf.square(tf.sub(tf.expandDims(x, 1), tf.expandDims(c, 0))), 2); // [n, 8]
        return tf.add(tf.logSumExp(tf.div(d2, -2 * std * std), 1), logNormaliser) as tf.Tensor1D;
      }),
  );
}
