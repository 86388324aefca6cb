// The cpu backend's kernels of pfm: a corrected ResizeNearestNeighborGrad in place of tfjs's, and
// the fused dense layer (PfmFusedDense forward, PfmFusedDenseGrad backward), the reference the
// other backends' fused dense kernels are tested against.
import * as tf from '@tensorflow/tfjs-core';
import { fusedDenseKernel } from './fused-dense.js';
import { fusedDenseGradKernel } from './fused-dense-grad.js';
import { resizeNearestNeighborGradKernel } from './resize-nearest-neighbor-grad.js';

const KERNELS: [string, tf.KernelFunc][] = [
  ['ResizeNearestNeighborGrad', resizeNearestNeighborGradKernel],
  ['PfmFusedDense', fusedDenseKernel],
  ['PfmFusedDenseGrad', fusedDenseGradKernel],
];

/**
 * Puts pfm's cpu kernels in tfjs's registry, in place of the stock ones where tfjs has one (once;
 * later calls see them in place and do nothing). Call after tfjs-backend-cpu registered its kernels.
 */
export function registerCpuKernelFixes(): void {
  for (const [kernelName, kernelFunc] of KERNELS) {
    const current = tf.getKernel(kernelName, 'cpu');
    if (current?.kernelFunc === kernelFunc) continue;
    if (current) tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc });
  }
}
