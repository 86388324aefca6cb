// Registers the fused pairwise distance sums for the webgpu backend: the two WGSL kernels and the
// gradient of the row sums (gradients are global in tfjs, but only a backend with the kernels can
// run the forward op, so the gradient is registered with them).
//   ∂/∂x_i Σ_i dy_i r_i = dy_i Σ_j β‖x_i − y_j‖^(β−2)(x_i − y_j)   (Grad(x, y, 1) scaled by dy_i)
//   ∂/∂y_j Σ_i dy_i r_i = Σ_i dy_i β‖y_j − x_i‖^(β−2)(y_j − x_i)   (Grad(y, x, dy))
import * as tf from '@tensorflow/tfjs-core';
import { checkPointInputs, checkRowWeights } from './check-pairwise-inputs.js';
import { registerPairwiseKernelSums } from './register-pairwise-kernel-sums.js';
import { registerSoftminRows } from './register-softmin-rows.js';
import { pairwiseDistancePowerGradProgram, pairwiseDistancePowerSumProgram } from './pairwise-distance-programs.js';
import { PAIRWISE_DISTANCE_POWER_GRAD, PAIRWISE_DISTANCE_POWER_SUM } from './pairwise-kernel-names.js';
import type { WebgpuBackendLike } from './webgpu-backend-like.js';

function checkInputs(kernel: string, named: Record<string, tf.TensorInfo>, exponent: unknown): void {
  checkPointInputs(kernel, named);
  if (typeof exponent !== 'number' || !(exponent > 0 && exponent < 2)) throw new Error(`${kernel}: exponent must be a number in (0, 2), got ${JSON.stringify(exponent)}`);
}

/** The programs' own uniforms, in the order of their `uniforms` declaration: β, then d. */
function uniforms(exponent: number, d: number): { type: 'float32' | 'int32'; data: number[] }[] {
  return [
    { type: 'float32', data: [exponent] },
    { type: 'int32', data: [d] },
  ];
}

const sumKernel: tf.KernelConfig = {
  kernelName: PAIRWISE_DISTANCE_POWER_SUM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, y } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo };
    const exponent = (attrs as { exponent?: unknown } | undefined)?.exponent;
    checkInputs(PAIRWISE_DISTANCE_POWER_SUM, { x, y }, exponent);
    const program = pairwiseDistancePowerSumProgram(x.shape[0]!, x.shape[1]!);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [x, y], 'float32', uniforms(exponent as number, x.shape[1]!));
  },
};

const gradKernel: tf.KernelConfig = {
  kernelName: PAIRWISE_DISTANCE_POWER_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { p, q, a } = inputs as { p: tf.TensorInfo; q: tf.TensorInfo; a: tf.TensorInfo };
    const exponent = (attrs as { exponent?: unknown } | undefined)?.exponent;
    checkInputs(PAIRWISE_DISTANCE_POWER_GRAD, { p, q }, exponent);
    checkRowWeights(PAIRWISE_DISTANCE_POWER_GRAD, 'a', a, q.shape[0]!, 'q', 'weight');
    const program = pairwiseDistancePowerGradProgram(p.shape[0]!, p.shape[1]!);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [p, q, a], 'float32', uniforms(exponent as number, p.shape[1]!));
  },
};

const sumGradient: tf.GradConfig = {
  kernelName: PAIRWISE_DISTANCE_POWER_SUM,
  inputsToSave: ['x', 'y'],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor2D, tf.Tensor2D];
    const exponent = (attrs as { exponent: number }).exponent;
    const run = (p: tf.Tensor, q: tf.Tensor, a: tf.Tensor) => tf.engine().runKernel(PAIRWISE_DISTANCE_POWER_GRAD, { p, q, a }, { exponent }) as tf.Tensor;
    const weights = dy as tf.Tensor1D;
    return {
      x: () => tf.mul(run(x, y, tf.ones([y.shape[0]])), tf.reshape(weights, [-1, 1])),
      y: () => run(y, x, weights),
    };
  },
};

/**
 * Registers the fused pairwise webgpu kernels (WGSL, tiled in workgroup memory) and the gradients
 * of their forward ops: `PfmPairwiseDistancePowerSum`/`PfmPairwiseDistancePowerGrad` (the energy
 * distance), `PfmPairwiseKernelSum`/`PfmPairwiseKernelGrad` (Gaussian and Laplace MMD) and
 * `PfmSoftminRows`/`PfmSoftminRowsGrad` (the Sinkhorn log-sum-exp rows). Idempotent. @pfm/ipm's
 * energy distance and MMD run them on webgpu for points of dimension up to 256.
 */
export function registerPairwiseKernels(): void {
  for (const config of [sumKernel, gradKernel]) {
    if (tf.getKernel(config.kernelName, 'webgpu') === undefined) tf.registerKernel(config);
  }
  if (tf.getGradient(PAIRWISE_DISTANCE_POWER_SUM) === undefined) tf.registerGradient(sumGradient);
  registerPairwiseKernelSums();
  registerSoftminRows();
}
