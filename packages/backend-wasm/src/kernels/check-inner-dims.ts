import type * as tf from '@tensorflow/tfjs-core';

/**
 * Throws, with the wording of tfjs's own kernels, unless op(a) and op(b) can be multiplied:
 * the caller's shapes and transpose flags are reported, not those of a rewritten call.
 */
export function checkInnerDims(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): void {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new Error(`Error in matMul: a and b must have rank >= 2, got shapes ${a.shape} and ${b.shape}.`);
  }
  const innerA = a.shape[a.shape.length - (transposeA ? 2 : 1)];
  const innerB = b.shape[b.shape.length - (transposeB ? 1 : 2)];
  if (innerA !== innerB) {
    throw new Error(
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ${a.shape} and ` +
        `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
}
