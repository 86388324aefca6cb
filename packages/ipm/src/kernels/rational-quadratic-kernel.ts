// Rational quadratic kernel k(x, y) = (1 + ‖x − y‖² / (2αℓ²))^(−α): a scale mixture of Gaussian
// kernels (Rasmussen & Williams 2006, eq. 4.19), tending to exp(−‖x − y‖²/(2ℓ²)) as α → ∞.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel } from './adaptive-kernel.js';
import type { RadialProfile } from '../pairwise/radial-profile.js';
import { squaredDistances } from './squared-distances.js';
import { z } from 'zod';
import { lengthScaleSchema } from '../plugin/schema-parts.js';

/** Options of {@link rationalQuadraticKernel} (and of the `rationalQuadratic` kernel entry): the one place they are written. */
export const rationalQuadraticKernelSchema = z.strictObject({
  /** ℓ > 0 or `'median'`. Default `'median'`. */
  lengthScale: lengthScaleSchema.default('median'),
  /** α > 0. Default 1. */
  alpha: z.number().positive().default(1),
});

/** Options of {@link rationalQuadraticKernel}, as a caller writes them (every field optional). */
export type RationalQuadraticKernelOptions = z.input<typeof rationalQuadraticKernelSchema>;

/**
 * Rational quadratic kernel k(x, y) = (1 + ‖x − y‖²/(2αℓ²))^(−α); `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Source: Rasmussen & Williams 2006, §4.2, eq. 4.19.
 */
export function rationalQuadraticKernel(options: RationalQuadraticKernelOptions = {}): AdaptiveKernel {
  const lengthScale = checkLengthScale('rationalQuadraticKernel', 'lengthScale', options.lengthScale ?? 'median');
  const alpha = options.alpha ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw new RangeError(`rationalQuadraticKernel: alpha must be a positive number, got ${alpha}`);
  }
  return adaptiveKernel(lengthScale === 'median', (median) => {
    const l = lengthScale === 'median' ? median : lengthScale;
    return (a, b) =>
      tf.tidy(() => tf.pow(tf.add(tf.mul(squaredDistances(a, b), 1 / (2 * alpha * l * l)), 1), -alpha) as tf.Tensor2D);
  }, (median) => rationalQuadraticProfile(lengthScale === 'median' ? median : lengthScale, alpha));
}

/** κ(r²) = u^(−α) with u = 1 + r²/(2αℓ²), κ'(r²) = −κ(r²)/(2ℓ²u). */
function rationalQuadraticProfile(l: number, alpha: number): RadialProfile {
  const rate = 1 / (2 * alpha * l * l);
  const slopeRate = -1 / (2 * l * l);
  const one = alpha === 1;
  return {
    atZero: 1,
    sum(r2, len, slope) {
      let s = 0;
      for (let k = 0; k < len; k++) {
        const u = 1 + rate * r2[k]!;
        const v = one ? 1 / u : Math.pow(u, -alpha);
        s += v;
        if (slope) slope[k] = (slopeRate * v) / u;
      }
      return s;
    },
  };
}
