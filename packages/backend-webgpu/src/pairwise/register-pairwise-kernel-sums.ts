// Registers the fused MMD pair sums for the webgpu backend: the row sums of a Gaussian or Laplace
// kernel, their gradient kernel, and the gradient of the row sums (k radial, so ∇_y k(x, y) =
// ∇_1 k(y, x)):
//   ∂/∂x_i Σ_i dy_i r_i = dy_i Σ_j ∇_1 k(x_i, y_j)   (Grad(x, y, 1) scaled by dy_i)
//   ∂/∂y_j Σ_i dy_i r_i = Σ_i dy_i ∇_1 k(y_j, x_i)   (Grad(y, x, dy))
import * as tf from '@tensorflow/tfjs-core';
import { checkPointInputs, checkRowWeights } from './check-pairwise-inputs.js';
import { pairwiseKernelGradProgram, pairwiseKernelSumProgram, type PairwiseKernelKind } from './pairwise-kernel-programs.js';
import { PAIRWISE_KERNEL_GRAD, PAIRWISE_KERNEL_SUM } from './pairwise-kernel-names.js';
import type { ProgramUniform, WebgpuBackendLike } from './webgpu-backend-like.js';

interface KernelAttributes {
  kernel: PairwiseKernelKind;
  bandwidth: number;
}

function checkAttributes(kernelName: string, attrs: unknown): KernelAttributes {
  const { kernel, bandwidth } = (attrs ?? {}) as { kernel?: unknown; bandwidth?: unknown };
  if (kernel !== 'gaussian' && kernel !== 'laplace') throw new Error(`${kernelName}: kernel must be 'gaussian' or 'laplace', got ${JSON.stringify(kernel)}`);
  if (typeof bandwidth !== 'number' || !(bandwidth > 0) || !Number.isFinite(bandwidth)) {
    throw new Error(`${kernelName}: bandwidth must be a positive finite number, got ${JSON.stringify(bandwidth)}`);
  }
  return { kernel, bandwidth };
}

/** The programs' uniforms: ℓ (their `parameter`), then d. */
function uniforms(bandwidth: number, d: number): ProgramUniform[] {
  return [
    { type: 'float32', data: [bandwidth] },
    { type: 'int32', data: [d] },
  ];
}

const sumKernel: tf.KernelConfig = {
  kernelName: PAIRWISE_KERNEL_SUM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, y } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo };
    const d = checkPointInputs(PAIRWISE_KERNEL_SUM, { x, y });
    const { kernel, bandwidth } = checkAttributes(PAIRWISE_KERNEL_SUM, attrs);
    const program = pairwiseKernelSumProgram(kernel, x.shape[0]!, d);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [x, y], 'float32', uniforms(bandwidth, d));
  },
};

const gradKernel: tf.KernelConfig = {
  kernelName: PAIRWISE_KERNEL_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { p, q, a } = inputs as { p: tf.TensorInfo; q: tf.TensorInfo; a: tf.TensorInfo };
    const d = checkPointInputs(PAIRWISE_KERNEL_GRAD, { p, q });
    const { kernel, bandwidth } = checkAttributes(PAIRWISE_KERNEL_GRAD, attrs);
    checkRowWeights(PAIRWISE_KERNEL_GRAD, 'a', a, q.shape[0]!, 'q', 'weight');
    const program = pairwiseKernelGradProgram(kernel, p.shape[0]!, d);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [p, q, a], 'float32', uniforms(bandwidth, d));
  },
};

const sumGradient: tf.GradConfig = {
  kernelName: PAIRWISE_KERNEL_SUM,
  inputsToSave: ['x', 'y'],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor2D, tf.Tensor2D];
    const { kernel, bandwidth } = attrs as unknown as KernelAttributes;
    const run = (p: tf.Tensor, q: tf.Tensor, a: tf.Tensor) => tf.engine().runKernel(PAIRWISE_KERNEL_GRAD, { p, q, a }, { kernel, bandwidth }) as tf.Tensor;
    const weights = dy as tf.Tensor1D;
    return {
      x: () => tf.mul(run(x, y, tf.ones([y.shape[0]])), tf.reshape(weights, [-1, 1])),
      y: () => run(y, x, weights),
    };
  },
};

/** Registers `PfmPairwiseKernelSum`, `PfmPairwiseKernelGrad` (webgpu) and the gradient of the first. Idempotent. */
export function registerPairwiseKernelSums(): void {
  for (const config of [sumKernel, gradKernel]) {
    if (tf.getKernel(config.kernelName, 'webgpu') === undefined) tf.registerKernel(config);
  }
  if (tf.getGradient(PAIRWISE_KERNEL_SUM) === undefined) tf.registerGradient(sumGradient);
}
