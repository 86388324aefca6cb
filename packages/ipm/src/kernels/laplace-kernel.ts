// Laplace kernel k(x, y) = exp(−‖x − y‖ / ℓ) with the Euclidean norm (its spectral measure is
// the multivariate Cauchy law); the norm uses a safe square root so ∇k is finite at x = y.
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveKernel, checkLengthScale, type AdaptiveKernel, type LengthScale } from './adaptive-kernel.js';
import { safePower } from './safe-power.js';
import { squaredDistances } from './squared-distances.js';

/** Options of {@link laplaceKernel}. */
export interface LaplaceKernelOptions {
  /** ℓ > 0 or `'median'`. Default `'median'`. */
  bandwidth?: LengthScale;
}

/**
 * Laplace kernel k(x, y) = exp(−‖x − y‖/ℓ); `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Source: Rasmussen & Williams 2006, "Gaussian Processes for ML", §4.2 (Matérn ν = 1/2).
 */
export function laplaceKernel(options: LaplaceKernelOptions = {}): AdaptiveKernel {
  const bandwidth = checkLengthScale('laplaceKernel', 'bandwidth', options.bandwidth ?? 'median');
  return adaptiveKernel(bandwidth === 'median', (median) => {
    const l = bandwidth === 'median' ? median : bandwidth;
    return (a, b) => tf.tidy(() => tf.exp(tf.mul(safePower(squaredDistances(a, b), 0.5), -1 / l)) as tf.Tensor2D);
  });
}
