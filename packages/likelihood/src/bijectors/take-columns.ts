// Contiguous column blocks of a matrix by a 0/1 selection matrix: x[:, start:start+count] = x S.
// Exact in float32, differentiable everywhere, and much faster than a strided tf.slice on
// tfjs's cpu backend (which copies element by element).
import * as tf from '@tensorflow/tfjs-core';

/** `[n, c]` → `[n, count]`: columns start … start + count − 1 (inside the caller's tidy). */
export function takeColumns(x: tf.Tensor2D, start: number, count: number): tf.Tensor2D {
  const c = x.shape[1];
  if (start < 0 || count < 0 || start + count > c) {
    throw new RangeError(`takeColumns: columns ${start}…${start + count - 1} of a [n, ${c}] matrix`);
  }
  const sel = new Float32Array(c * count);
  for (let j = 0; j < count; j++) sel[(start + j) * count + j] = 1;
  return tf.matMul(x, tf.tensor2d(sel, [c, count]));
}
