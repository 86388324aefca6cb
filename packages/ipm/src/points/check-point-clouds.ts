import type * as tf from '@tensorflow/tfjs-core';

/**
 * Checks that `x` `[n, d]` and `y` `[m, d]` are float 2-D tensors of the same dimension with at
 * least `minRows` rows each; throws one error naming the function, the argument and the shape.
 */
export function checkPointClouds(where: string, x: tf.Tensor, y: tf.Tensor, minRows = 1): void {
  for (const [name, t] of [['x', x], ['y', y]] as const) {
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape)) {
      throw new TypeError(`${where}: ${name} must be a 2-D tensor [n, d], got ${String(t)}`);
    }
    if (t.shape.length !== 2) {
      throw new RangeError(`${where}: ${name} must be a 2-D tensor [n, d], got shape [${t.shape.join(', ')}]`);
    }
    if (t.dtype !== 'float32') throw new TypeError(`${where}: ${name} must be float32, got ${t.dtype}`);
    if (t.shape[0]! < minRows) {
      throw new RangeError(`${where}: ${name} needs at least ${minRows} point(s), got shape [${t.shape.join(', ')}]`);
    }
  }
  if (x.shape[1] !== y.shape[1]) {
    throw new RangeError(`${where}: x and y must have the same dimension d, got x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
  }
}
