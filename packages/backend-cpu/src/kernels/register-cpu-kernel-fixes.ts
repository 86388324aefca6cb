// The cpu backend's kernels of pfm: a corrected ResizeNearestNeighborGrad in place of tfjs's, and
// the fused dense layer (PfmFusedDense forward, PfmFusedDenseGrad backward), the reference the
// other backends' fused dense kernels are tested against, and the slope step of a forward-mode
// tangent through such a layer (PfmTangentSlope, PfmTangentSlopeGrad) that a CNF's exact trace runs.
import * as tf from '@tensorflow/tfjs-core';
import { fusedDenseKernel } from './fused-dense.js';
import { fusedDenseGradKernel } from './fused-dense-grad.js';
import { resizeNearestNeighborGradKernel } from './resize-nearest-neighbor-grad.js';
import { tangentSlopeGradKernel, tangentSlopeKernel } from './tangent-slope.js';

const KERNELS: [string, tf.KernelFunc][] = [
  ['ResizeNearestNeighborGrad', resizeNearestNeighborGradKernel],
  ['PfmFusedDense', fusedDenseKernel],
  ['PfmFusedDenseGrad', fusedDenseGradKernel],
  ['PfmTangentSlope', tangentSlopeKernel],
  ['PfmTangentSlopeGrad', tangentSlopeGradKernel],
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
