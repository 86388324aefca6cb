// A kernel whose length scale may be set from the data by the median heuristic: `adapt(x, y)`
// fixes it once from x ∪ y, so every tile of a tiled sum uses the same kernel.
import type * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@pfm/core';
import { medianDistance } from './median-distance.js';

/** A kernel that can fix its data-dependent parameters from the two samples it compares. */
export interface AdaptiveKernel extends Kernel {
  /** This kernel with the median heuristic (if used) evaluated on x `[n, d]` ∪ y `[m, d]`. */
  adapt(x: tf.Tensor2D, y: tf.Tensor2D): Kernel;
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
 * Builds an {@link AdaptiveKernel} from `build(median)` → gram function. When `usesMedian` is
 * false the gram function is built once (median unused); otherwise `gram(x, y)` alone uses the
 * median of its own inputs and `adapt(x, y)` freezes it.
 */
export function adaptiveKernel(
  usesMedian: boolean,
  build: (median: number) => (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D,
): AdaptiveKernel {
  if (!usesMedian) {
    const gram = build(Number.NaN);
    const kernel: AdaptiveKernel = { gram, adapt: () => kernel };
    return kernel;
  }
  return {
    gram: (x, y) => build(medianDistance(x, y))(x, y),
    adapt(x, y) {
      const gram = build(medianDistance(x, y));
      const fixed: AdaptiveKernel = { gram, adapt: () => fixed };
      return fixed;
    },
  };
}
