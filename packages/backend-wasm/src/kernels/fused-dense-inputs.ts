// The inputs the fused dense kernels (PfmFusedDense, PfmFusedDenseGrad) share: x [n, k] and
// weight [k, m] float32 matrices and one of the activations whose derivative is read from the
// layer's output y (linear: 1; relu: 1 where y > 0, else 0; selu: λ where y > 0, else y + λα).
import type * as tf from '@tensorflow/tfjs-core';

/** The activations of the fused dense kernels. */
export const FUSED_DENSE_ACTIVATIONS = ['linear', 'relu', 'selu'] as const;

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
