// Gaussian (RBF) kernel k(x, y) = (1/L) Σ_l exp(−‖x − y‖² / (2 ℓ_l²)), a mean over bandwidths
// ℓ_l (mixtures of bandwidths as in Li et al. 2017, "MMD GAN", §3); ℓ may come from the median
// heuristic (Gretton et al. 2012, §8).
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel, type LengthScale } from './adaptive-kernel.js';
import { fastExp } from '../pairwise/fast-exp.js';
import type { RadialProfile } from '../pairwise/radial-profile.js';
import { squaredDistances } from './squared-distances.js';
import { z } from 'zod';
import { lengthScaleSchema } from '../plugin/schema-parts.js';

/** Options of {@link gaussianKernel} (and of the `gaussian` kernel entry): the one place they are written. */
export const gaussianKernelSchema = z.strictObject({
  /** ℓ: one bandwidth, several (the kernel is their mean), or `'median'`. Default `'median'`. */
  bandwidth: z.union([lengthScaleSchema, z.array(z.number().positive()).min(1)]).default('median'),
  /** Multipliers applied to every bandwidth (e.g. `[0.5, 1, 2]` around the median). Default `[1]`. */
  scales: z.array(z.number().positive()).min(1).default([1]),
});

/** Options of {@link gaussianKernel}, as a caller writes them (every field optional). */
export type GaussianKernelOptions = z.input<typeof gaussianKernelSchema>;

/**
 * Gaussian kernel k(x, y) = mean_l exp(−‖x − y‖²/(2ℓ_l²)); `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Bandwidths are `bandwidth × scales` (all products). Source: Gretton et al. 2012, JMLR 13.
 */
export function gaussianKernel(options: GaussianKernelOptions = {}): AdaptiveKernel {
  const where = 'gaussianKernel';
  const raw = options.bandwidth ?? 'median';
  const bases: LengthScale[] = Array.isArray(raw)
    ? raw.map((b, i) => checkLengthScale(where, `bandwidth[${i}]`, b))
    : [checkLengthScale(where, 'bandwidth', raw)];
  if (bases.length === 0) throw new RangeError(`${where}: bandwidth must not be an empty array`);
  const scales = options.scales ?? [1];
  if (!Array.isArray(scales) || scales.length === 0) throw new RangeError(`${where}: scales must be a non-empty array`);
  scales.forEach((s, i) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`${where}: scales[${i}] must be positive, got ${s}`);
  });
  const lengthsOf = (median: number) => bases.flatMap((b) => scales.map((s) => (b === 'median' ? median : b) * s));
  return adaptiveKernel(bases.includes('median'), (median) => {
    const lengths = lengthsOf(median);
    return (a, b) =>
      tf.tidy(() => {
        const d2 = squaredDistances(a, b);
        const terms = lengths.map((l) => tf.exp(tf.mul(d2, -1 / (2 * l * l))));
        return (terms.length === 1 ? terms[0]! : tf.div(tf.addN(terms), terms.length)) as tf.Tensor2D;
      });
  }, (median) => gaussianProfile(lengthsOf(median)));
}

/** κ(r²) = mean_l exp(−r²/(2ℓ_l²)), κ'(r²) = mean_l −exp(−r²/(2ℓ_l²))/(2ℓ_l²). */
function gaussianProfile(lengths: number[]): RadialProfile {
  const rates = Float64Array.from(lengths, (l) => -1 / (2 * l * l));
  const count = rates.length;
  const mean = 1 / count;
  const backendKernels = lengths.map((bandwidth) => ({ kernel: 'gaussian' as const, bandwidth }));
  if (count === 1) {
    const a = rates[0]!;
    return {
      atZero: 1,
      closedForm: { kind: 'gaussian', rate: a },
      backendKernels,
      sum(r2, len, slope) {
        let s = 0;
        if (slope) {
          for (let k = 0; k < len; k++) {
            const e = fastExp(a * r2[k]!);
            s += e;
            slope[k] = a * e;
          }
        } else {
          for (let k = 0; k < len; k++) s += fastExp(a * r2[k]!);
        }
        return s;
      },
    };
  }
  return {
    atZero: 1,
    backendKernels,
    sum(r2, len, slope) {
      let s = 0;
      for (let k = 0; k < len; k++) {
        const t = r2[k]!;
        let v = 0;
        let dv = 0;
        for (let l = 0; l < count; l++) {
          const a = rates[l]!;
          const e = fastExp(a * t);
          v += e;
          dv += a * e;
        }
        s += v;
        if (slope) slope[k] = dv * mean;
      }
      return s * mean;
    },
  };
}
