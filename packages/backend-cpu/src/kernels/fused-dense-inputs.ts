// What the fused dense kernels (PfmFusedDense, PfmFusedDenseGrad) share on the cpu backend: the
// check of x [n, k] and weight [k, m], the activations whose derivative is read from the layer's
// output y, and the backend's own BatchMatMul, which does their products.
import * as tf from '@tensorflow/tfjs-core';

/** The activations of the fused dense kernels. */
export const FUSED_DENSE_ACTIVATIONS = ['linear', 'relu', 'selu'] as const;

/** The part of tfjs-backend-cpu's `MathBackendCPU` the fused dense kernels use. */
export interface CpuDenseBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Checks the inputs shared by the forward and backward kernels; returns [n, k, m]. */
export function checkFusedDenseInputs(kernel: string, x: tf.TensorInfo, weight: tf.TensorInfo, activation: string): [number, number, number] {
  if (!(FUSED_DENSE_ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new Error(`${kernel}: attrs.activation is '${activation}'; expected one of ${FUSED_DENSE_ACTIVATIONS.join(', ')}`);
  }
  for (const [name, t] of [['x', x], ['weight', weight]] as const) {
    if (t.dtype !== 'float32' || t.shape.length !== 2) {
      throw new Error(`${kernel}: inputs.${name} is ${t.dtype} [${t.shape.join(', ')}]; expected a float32 matrix`);
    }
  }
  if (x.shape[1] !== weight.shape[0]) {
    throw new Error(`${kernel}: inputs.weight has ${weight.shape[0]} rows; expected x's ${x.shape[1]} columns`);
  }
  return [x.shape[0] as number, x.shape[1] as number, weight.shape[1] as number];
}

/** op(a)·op(b) by the cpu backend's registered BatchMatMul: the same products as tf.matMul on cpu. */
export function cpuMatMul(backend: unknown, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const config = tf.getKernel('BatchMatMul', 'cpu');
  if (config == null) throw new Error("@pfm/backend-cpu: the cpu kernel 'BatchMatMul' is not registered (is @tensorflow/tfjs-backend-cpu 4.22 loaded?)");
  return config.kernelFunc({ inputs: { a, b }, backend: backend as tf.KernelBackend, attrs: { transposeA, transposeB } }) as tf.TensorInfo;
}
