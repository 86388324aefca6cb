// Σ_{i,j} ‖x_i − y_j‖^β through a backend's fused kernel, where the active backend registers one
// (@pfm/backend-webgpu: WGSL, tiled in workgroup memory, no n×m block, with its gradient). The
// kernel is looked up by name in tfjs's registry, so this package depends on no backend.
import * as tf from '@tensorflow/tfjs-core';

/** The kernel name: inputs x `[n, d]`, y `[m, d]`, attribute `exponent`; output the row sums `[n]`. */
export const PAIRWISE_DISTANCE_POWER_SUM = 'PfmPairwiseDistancePowerSum';

/** The largest point dimension the kernel takes. */
const MAX_DIM = 256;

/** Whether the active backend has the fused kernel for points of dimension `d`. */
export function backendDistancePowerSumAvailable(d: number): boolean {
  return d <= MAX_DIM && tf.getKernel(PAIRWISE_DISTANCE_POWER_SUM, tf.getBackend()) !== undefined;
}

/** Σ_{i,j} ‖x_i − y_j‖^β (x and y may be the same tensor: the diagonal adds 0) → scalar, differentiable. */
export function backendDistancePowerSum(x: tf.Tensor2D, y: tf.Tensor2D, exponent: number): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.engine().runKernel(PAIRWISE_DISTANCE_POWER_SUM, { x, y }, { exponent }) as tf.Tensor1D));
}
