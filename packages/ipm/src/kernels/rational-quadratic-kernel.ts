// Rational quadratic kernel k(x, y) = (1 + ‖x − y‖² / (2αℓ²))^(−α): a scale mixture of Gaussian
// kernels (Rasmussen & Williams 2006, eq. 4.19), tending to exp(−‖x − y‖²/(2ℓ²)) as α → ∞.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel, type LengthScale } from './adaptive-kernel.js';
import { squaredDistances } from './squared-distances.js';

/** Options of {@link rationalQuadraticKernel}. */
export interface RationalQuadraticKernelOptions {
  /** ℓ > 0 or `'median'`. Default `'median'`. */
  lengthScale?: LengthScale;
  /** α > 0. Default 1. */
  alpha?: number;
}

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
  });
}
