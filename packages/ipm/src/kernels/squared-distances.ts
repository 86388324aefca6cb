// ‖a_i − b_j‖² = ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j, clamped at 0 (float32 cancellation can make it
// slightly negative); one matmul, no [p, q, d] tensor.
import * as tf from '@tensorflow/tfjs-core';

/** `[p, d]`, `[q, d]` → `[p, q]`: squared Euclidean distances ‖a_i − b_j‖². */
export function squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const ab = tf.matMul(a, b, false, true);
    return tf.relu(tf.sub(tf.add(aa, bb), tf.mul(ab, 2))) as tf.Tensor2D;
  });
}
