// Inverse multiquadric kernel k(x, y) = (c² + ‖x − y‖²)^β, β ∈ (−1, 0), the kernel Gorham &
// Mackey (2017, "Measuring sample quality with kernels", Thm 8) recommend for Stein discrepancies.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel } from './adaptive-kernel.js';
import type { RadialProfile } from '../pairwise/radial-profile.js';
import { squaredDistances } from './squared-distances.js';
import { z } from 'zod';
import { lengthScaleSchema } from '../plugin/schema-parts.js';

/** Options of {@link inverseMultiquadricKernel} (and of the `inverseMultiquadric` kernel entry): the one place they are written. */
export const inverseMultiquadricKernelSchema = z.strictObject({
  /** c > 0 or `'median'`. Default 1. */
  scale: lengthScaleSchema.default(1),
  /** β < 0. Default −1/2. */
  exponent: z.number().negative().default(-0.5),
});

/** Options of {@link inverseMultiquadricKernel}, as a caller writes them (every field optional). */
export type InverseMultiquadricKernelOptions = z.input<typeof inverseMultiquadricKernelSchema>;

/**
 * Inverse multiquadric kernel k(x, y) = (c² + ‖x − y‖²)^β; `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Source: Gorham & Mackey 2017, ICML, §3.3.
 */
export function inverseMultiquadricKernel(options: InverseMultiquadricKernelOptions = {}): AdaptiveKernel {
  const scale = checkLengthScale('inverseMultiquadricKernel', 'scale', options.scale ?? 1);
  const beta = options.exponent ?? -0.5;
  if (!(beta < 0) || !Number.isFinite(beta)) {
    throw new RangeError(`inverseMultiquadricKernel: exponent must be negative (β in (−1, 0) is usual), got ${beta}`);
  }
  return adaptiveKernel(scale === 'median', (median) => {
    const c = scale === 'median' ? median : scale;
    return (a, b) => tf.tidy(() => tf.pow(tf.add(squaredDistances(a, b), c * c), beta) as tf.Tensor2D);
  }, (median) => inverseMultiquadricProfile(scale === 'median' ? median : scale, beta));
}

/** κ(r²) = (c² + r²)^β, κ'(r²) = β κ(r²)/(c² + r²). */
function inverseMultiquadricProfile(c: number, beta: number): RadialProfile {
  const c2 = c * c;
  const half = beta === -0.5;
  return {
    atZero: Math.pow(c2, beta),
    sum(r2, len, slope) {
      let s = 0;
      for (let k = 0; k < len; k++) {
        const u = c2 + r2[k]!;
        const v = half ? 1 / Math.sqrt(u) : Math.pow(u, beta);
        s += v;
        if (slope) slope[k] = (beta * v) / u;
      }
      return s;
    },
  };
}
