// Σ_{i,j} k(x_i, y_j) for a Gaussian or Laplace kernel (a mean over bandwidths) through a
// backend's fused kernel, where the active backend registers one (@pfm/backend-webgpu: WGSL, tiled
// in workgroup memory, no n×m block, with its gradient). Looked up by name in tfjs's registry, so
// this package depends on no backend.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendKernel } from './radial-profile.js';

/**
 * The kernel name: inputs x `[n, d]`, y `[m, d]`, attributes `kernel` (`'gaussian'` | `'laplace'`)
 * and `bandwidth`; output the row sums `[n]`.
 */
export const PAIRWISE_KERNEL_SUM = 'PfmPairwiseKernelSum';

/** The largest point dimension the kernel takes. */
const MAX_DIM = 256;

/** Whether the active backend has the fused kernel sum for points of dimension `d`. */
export function backendKernelSumAvailable(d: number): boolean {
  return d <= MAX_DIM && tf.getKernel(PAIRWISE_KERNEL_SUM, tf.getBackend()) !== undefined;
}

/**
 * Σ_{i,j} mean_l k_l(x_i, y_j) over the `kernels` k_l → scalar, differentiable (x and y may be the
 * same tensor: the sum then includes the diagonal, κ(0) per row).
 */
export function backendKernelSum(x: tf.Tensor2D, y: tf.Tensor2D, kernels: readonly BackendKernel[]): tf.Scalar {
  return tf.tidy(() => {
    const sums = kernels.map(({ kernel, bandwidth }) => tf.sum(tf.engine().runKernel(PAIRWISE_KERNEL_SUM, { x, y }, { kernel, bandwidth }) as tf.Tensor1D));
    return (sums.length === 1 ? sums[0]! : tf.div(tf.addN(sums), sums.length)) as tf.Scalar;
  });
}
