// The scaled RMS error norm of Hairer, Nørsett & Wanner I, II.4 (eq. 4.11):
//   err = sqrt( mean_i ( e_i / (atol + rtol · max(|y0_i|, |y1_i|)) )² ),
// taken over every entry of the [n, d] batch, so the whole batch is one system.
import * as tf from '@tensorflow/tfjs-core';

/** The scaled RMS norm of a local error estimate `error` for the step y0 → y1 (all `[n, d]`). */
export function scaledErrorNorm(error: tf.Tensor2D, y0: tf.Tensor2D, y1: tf.Tensor2D, rtol: number, atol: number): number {
  const value = tf.tidy(() => {
    const scale = tf.add(tf.mul(tf.maximum(tf.abs(y0), tf.abs(y1)), rtol), atol);
    return tf.sqrt(tf.mean(tf.square(tf.div(error, scale))));
  });
  const out = value.dataSync()[0]!;
  value.dispose();
  return out;
}
