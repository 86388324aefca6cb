// One Euler step of a velocity field across the whole time interval as a one-step map,
//   φ(z | c) = z + v(0, z | c),
// the one-step sampler of a flow (Liu et al. 2023, §2.3: a 1-rectified flow sampled with one step).
// A distilled student built on the teacher's own field starts as the teacher's one-step sampler and
// keeps its architecture, so a conditional image field (a `unet` with a condition) gives a
// conditional one-step image map.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, PushforwardMap, VectorField } from '@pfm/core';

/**
 * The map z ↦ z + v(0, z | c) of `field` (`[n, d]` → `[n, d]`, NFE 1). Its variables are the
 * field's; it does not own the field (disposing the map disposes nothing). `toSpec()` is the field's.
 */
export function eulerStepMap(field: VectorField): PushforwardMap {
  return {
    inputDim: field.dim,
    outputDim: field.dim,
    ...(field.condition !== undefined ? { condition: field.condition } : {}),
    nfe: 1,
    get variables() {
      return field.variables;
    },
    apply(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      return tf.tidy(() => tf.add(z, field.evaluate(0, z, condition)) as tf.Tensor2D);
    },
    toSpec() {
      return field.toSpec();
    },
    dispose() {},
  };
}
