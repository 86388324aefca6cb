// A kernel whose length scale may be set from the data by the median heuristic: `adapt(x, y)`
// fixes it once from x ∪ y, so every tile of a tiled sum uses the same kernel.
import type * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@pfm/core';
import type { RadialProfile } from '../pairwise/radial-profile.js';
import { medianDistance } from './median-distance.js';

/** A kernel that can fix its data-dependent parameters from the two samples it compares. */
export interface AdaptiveKernel extends Kernel {
  /** This kernel with the median heuristic (if used) evaluated on x `[n, d]` ∪ y `[m, d]`. */
  adapt(x: tf.Tensor2D, y: tf.Tensor2D): Kernel;
  /**
   * k(x, y) = κ(‖x − y‖²) (+ f(x) + f(y), which cancels in MMD): lets `mmd` run its fused host loop.
   * Present once every parameter is fixed (after `adapt` when the median heuristic is used).
   */
  readonly radialProfile?: RadialProfile;
}

/** A length-scale option: a positive number, or `'median'` for the median heuristic. */
export type LengthScale = number | 'median';

/** Checks a length-scale option (positive finite number or 'median'). */
export function checkLengthScale(where: string, field: string, value: unknown): LengthScale {
  if (value === 'median') return value;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${field} must be a positive number or "median", got ${String(value)}`);
  }
  return value;
}

/**
 * Builds an {@link AdaptiveKernel} from `build(median)` → gram function (and, for a radial kernel,
 * `profile(median)` → its {@link RadialProfile}). When `usesMedian` is false both are built once
 * (median unused); otherwise `gram(x, y)` alone uses the median of its own inputs and `adapt(x, y)`
 * freezes it.
 */
export function adaptiveKernel(
  usesMedian: boolean,
  build: (median: number) => (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D,
  profile?: (median: number) => RadialProfile,
): AdaptiveKernel {
  const fixedKernel = (median: number): AdaptiveKernel => {
    const kernel: AdaptiveKernel = {
      gram: build(median),
      adapt: () => kernel,
      ...(profile ? { radialProfile: profile(median) } : {}),
    };
    return kernel;
  };
  if (!usesMedian) return fixedKernel(Number.NaN);
  return {
    gram: (x, y) => build(medianDistance(x, y))(x, y),
    adapt: (x, y) => fixedKernel(medianDistance(x, y)),
  };
}
