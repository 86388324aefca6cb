// What the fused dense kernels (PfmFusedDense, PfmFusedDenseGrad) share on the cpu backend: the
// backend's data and its own BatchMatMul, which does their products. Their inputs are checked in
// ../kernel-inputs.ts, shared with the wasm backend.
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-cpu's `MathBackendCPU` the fused dense kernels use. */
export interface CpuDenseBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** op(a)·op(b) by the cpu backend's registered BatchMatMul: the same products as tf.matMul on cpu. */
export function cpuMatMul(backend: unknown, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const config = tf.getKernel('BatchMatMul', 'cpu');
  if (config == null) throw new Error("@pfm/backend-cpu: the cpu kernel 'BatchMatMul' is not registered (is @tensorflow/tfjs-backend-cpu 4.22 loaded?)");
  return config.kernelFunc({ inputs: { a, b }, backend: backend as tf.KernelBackend, attrs: { transposeA, transposeB } }) as tf.TensorInfo;
}
