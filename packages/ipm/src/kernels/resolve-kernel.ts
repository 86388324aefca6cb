import type * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@pfm/core';

/**
 * The kernel to use on the samples x `[n, d]`, y `[m, d]`: `kernel.adapt(x, y)` when the kernel
 * has data-dependent parameters (median heuristic), else the kernel itself.
 */
export function resolveKernel(kernel: Kernel, x: tf.Tensor2D, y: tf.Tensor2D): Kernel {
  if (!kernel || typeof kernel.gram !== 'function') {
    throw new TypeError(`kernel must be an object with a gram(x, y) method, got ${String(kernel)}`);
  }
  const adapt = (kernel as { adapt?: unknown }).adapt;
  return typeof adapt === 'function' ? (adapt.call(kernel, x, y) as Kernel) : kernel;
}
