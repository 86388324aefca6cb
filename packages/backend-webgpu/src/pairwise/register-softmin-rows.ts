// Registers the Sinkhorn log-sum-exp rows for the webgpu backend, their gradient kernel, and the
// gradient of the rows. With π_ij = e^{u_j + (out_i − C_ij)/ε} (each row of π sums to 1) and
// C_ij = ‖x_i − y_j‖^p/p (Feydy et al. 2019, AISTATS, §3):
//   ∂/∂x_i Σ_i dy_i out_i = dy_i Σ_j π_ij ∇₁C(x_i, y_j)      Grad(x, y, a = out/ε, b = u, c = 1)
//   ∂/∂y_j Σ_i dy_i out_i = Σ_i dy_i π_ij ∇₁C(y_j, x_i)      Grad(y, x, a = u, b = out/ε, c = dy)
//   ∂/∂u_j Σ_i dy_i out_i = −ε Σ_i dy_i π_ij                 (the last column of that second call)
import * as tf from '@tensorflow/tfjs-core';
import { checkPointInputs, checkRowWeights } from './check-pairwise-inputs.js';
import { softminRowsGradProgram, softminRowsProgram } from './softmin-rows-programs.js';
import { SOFTMIN_ROWS, SOFTMIN_ROWS_GRAD } from './pairwise-kernel-names.js';
import type { ProgramUniform, WebgpuBackendLike } from './webgpu-backend-like.js';

interface SoftminAttributes {
  epsilon: number;
  p: number;
}

function checkAttributes(kernelName: string, attrs: unknown): SoftminAttributes {
  const { epsilon, p } = (attrs ?? {}) as { epsilon?: unknown; p?: unknown };
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new Error(`${kernelName}: epsilon must be a positive finite number, got ${JSON.stringify(epsilon)}`);
  }
  if (typeof p !== 'number' || !(p >= 1) || !Number.isFinite(p)) throw new Error(`${kernelName}: p must be a number ≥ 1, got ${JSON.stringify(p)}`);
  return { epsilon, p };
}

/** The programs' uniforms: ε, p, then d. */
function uniforms({ epsilon, p }: SoftminAttributes, d: number): ProgramUniform[] {
  return [
    { type: 'float32', data: [epsilon] },
    { type: 'float32', data: [p] },
    { type: 'int32', data: [d] },
  ];
}

const rowsKernel: tf.KernelConfig = {
  kernelName: SOFTMIN_ROWS,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, y, u } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo; u: tf.TensorInfo };
    const d = checkPointInputs(SOFTMIN_ROWS, { x, y });
    const settings = checkAttributes(SOFTMIN_ROWS, attrs);
    if (y.shape[0] === 0) throw new Error(`${SOFTMIN_ROWS}: y must have at least one row, got [${y.shape.join(', ')}]`);
    checkRowWeights(SOFTMIN_ROWS, 'u', u, y.shape[0]!, 'y');
    const program = softminRowsProgram(x.shape[0]!, d);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [x, y, u], 'float32', uniforms(settings, d));
  },
};

const gradKernel: tf.KernelConfig = {
  kernelName: SOFTMIN_ROWS_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { p, q, a, b, c } = inputs as Record<'p' | 'q' | 'a' | 'b' | 'c', tf.TensorInfo>;
    const d = checkPointInputs(SOFTMIN_ROWS_GRAD, { p, q });
    const settings = checkAttributes(SOFTMIN_ROWS_GRAD, attrs);
    checkRowWeights(SOFTMIN_ROWS_GRAD, 'a', a, p.shape[0]!, 'p');
    checkRowWeights(SOFTMIN_ROWS_GRAD, 'b', b, q.shape[0]!, 'q');
    checkRowWeights(SOFTMIN_ROWS_GRAD, 'c', c, q.shape[0]!, 'q');
    const program = softminRowsGradProgram(p.shape[0]!, d);
    return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [p, q, a, b, c], 'float32', uniforms(settings, d));
  },
};

const rowsGradient: tf.GradConfig = {
  kernelName: SOFTMIN_ROWS,
  inputsToSave: ['x', 'y', 'u'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y, u, out] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const settings = attrs as unknown as SoftminAttributes;
    const d = x.shape[1];
    const run = (p: tf.Tensor, q: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.engine().runKernel(SOFTMIN_ROWS_GRAD, { p, q, a, b, c }, { ...settings }) as tf.Tensor2D;
    const weights = dy as tf.Tensor1D;
    // One call gives both ∂/∂y and ∂/∂u; tfjs asks for them separately, so it is shared (the
    // backward pass runs in one tidy, which frees it with the other intermediates).
    let columns: tf.Tensor2D | undefined;
    const columnSums = () => (columns ??= run(y, x, u, tf.div(out, settings.epsilon), weights));
    return {
      x: () => tf.mul(tf.slice(run(x, y, tf.div(out, settings.epsilon), u, tf.ones([y.shape[0]])), [0, 0], [-1, d]), tf.reshape(weights, [-1, 1])),
      y: () => tf.slice(columnSums(), [0, 0], [-1, d]),
      u: () => tf.mul(tf.reshape(tf.slice(columnSums(), [0, d], [-1, 1]), [-1]), -settings.epsilon),
    };
  },
};

/** Registers `PfmSoftminRows`, `PfmSoftminRowsGrad` (webgpu) and the gradient of the first. Idempotent. */
export function registerSoftminRows(): void {
  for (const config of [rowsKernel, gradKernel]) {
    if (tf.getKernel(config.kernelName, 'webgpu') === undefined) tf.registerKernel(config);
  }
  if (tf.getGradient(SOFTMIN_ROWS) === undefined) tf.registerGradient(rowsGradient);
}
