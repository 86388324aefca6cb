// Laplace kernel k(x, y) = exp(−‖x − y‖ / ℓ) with the Euclidean norm (its spectral measure is
// the multivariate Cauchy law); the norm uses a safe square root so ∇k is finite at x = y.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel } from './adaptive-kernel.js';
import { fastExp } from '../pairwise/fast-exp.js';
import type { RadialProfile } from '../pairwise/radial-profile.js';
import { safePower } from './safe-power.js';
import { squaredDistances } from './squared-distances.js';
import { z } from 'zod';
import { lengthScaleSchema } from '../plugin/schema-parts.js';

/** Options of {@link laplaceKernel} (and of the `laplace` kernel entry): the one place they are written. */
export const laplaceKernelSchema = z.strictObject({
  /** ℓ > 0 or `'median'`. Default `'median'`. */
  bandwidth: lengthScaleSchema.default('median'),
});

/** Options of {@link laplaceKernel}, as a caller writes them (every field optional). */
export type LaplaceKernelOptions = z.input<typeof laplaceKernelSchema>;

/**
 * Laplace kernel k(x, y) = exp(−‖x − y‖/ℓ); `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Source: Rasmussen & Williams 2006, "Gaussian Processes for ML", §4.2 (Matérn ν = 1/2).
 */
export function laplaceKernel(options: LaplaceKernelOptions = {}): AdaptiveKernel {
  const bandwidth = checkLengthScale('laplaceKernel', 'bandwidth', options.bandwidth ?? 'median');
  return adaptiveKernel(bandwidth === 'median', (median) => {
    const l = bandwidth === 'median' ? median : bandwidth;
    return (a, b) => tf.tidy(() => tf.exp(tf.mul(safePower(squaredDistances(a, b), 0.5), -1 / l)) as tf.Tensor2D);
  }, (median) => laplaceProfile(bandwidth === 'median' ? median : bandwidth));
}

/** κ(r²) = exp(−r/ℓ), κ'(r²) = −exp(−r/ℓ)/(2ℓr), 0 at r = 0 like the safe square root. */
function laplaceProfile(l: number): RadialProfile {
  const rate = -1 / l;
  return {
    atZero: 1,
    backendKernels: [{ kernel: 'laplace', bandwidth: l }],
    sum(r2, len, slope) {
      let s = 0;
      for (let k = 0; k < len; k++) {
        const t = r2[k]!;
        const r = Math.sqrt(t);
        const e = fastExp(rate * r);
        s += e;
        if (slope) slope[k] = t > 0 ? (0.5 * rate * e) / r : 0;
      }
      return s;
    },
  };
}
