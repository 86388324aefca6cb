// PfmFusedDense on cpu: y = act(x·W + b) for one dense layer, act ∈ {linear, relu, selu}
// (selu: Klambauer et al. 2017, eq. 2), the reference of the other backends' fused dense kernels.
// The product is the backend's BatchMatMul; the bias and the activation are one pass over its
// output, computed as the Add, Relu and Selu kernels compute them (z rounded to float32, then
// max(0, z), or λz for z ≥ 0 and λα(e^z − 1) below), so y is bit-identical to the composed ops.
import * as tf from '@tensorflow/tfjs-core';
import { cpuMatMul, type CpuDenseBackend } from './fused-dense-inputs.js';
import { checkFusedDenseInputs } from '../kernel-inputs.js';

/**
 * The cpu kernel of `PfmFusedDense`: inputs x `[n, k]`, weight `[k, m]`, bias `[m]` (float32),
 * attrs `{ activation: 'linear' | 'relu' | 'selu' }` → y `[n, m]`.
 */
export const fusedDenseKernel: tf.KernelFunc = (args) => {
  const { x, weight, bias } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo };
  const { n, m, activation } = checkFusedDenseInputs({ x, weight, bias }, args.attrs);
  const backend = args.backend as unknown as CpuDenseBackend;
  const y = cpuMatMul(args.backend, x, weight, false, false);
  const out = backend.data.get(y.dataId).values as Float32Array;
  const b = backend.data.get(bias.dataId).values as Float32Array;
  const scale = tf.backend_util.SELU_SCALE;
  const scaleAlpha = tf.backend_util.SELU_SCALEALPHA;
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < m; j++, at++) {
      const z = Math.fround(out[at]! + b[j]!);
      if (activation === 'linear') out[at] = z;
      else if (activation === 'relu') out[at] = Math.max(0, z);
      else out[at] = z >= 0 ? scale * z : scaleAlpha * (Math.exp(z) - 1);
    }
  }
  return { dataId: y.dataId, shape: [n, m], dtype: 'float32' };
};
