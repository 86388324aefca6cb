// Inverse multiquadric kernel k(x, y) = (c² + ‖x − y‖²)^β, β ∈ (−1, 0), the kernel Gorham &
// Mackey (2017, "Measuring sample quality with kernels", Thm 8) recommend for Stein discrepancies.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel, type LengthScale } from './adaptive-kernel.js';
import { squaredDistances } from './squared-distances.js';

/** Options of {@link inverseMultiquadricKernel}. */
export interface InverseMultiquadricKernelOptions {
  /** c > 0 or `'median'`. Default 1. */
  scale?: LengthScale;
  /** β < 0. Default −1/2. */
  exponent?: number;
}

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
  });
}
