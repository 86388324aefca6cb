// t^e for t ≥ 0 with a gradient that is finite at t = 0: e·t^(e−1) is infinite there for e < 1,
// and tfjs would return NaN for ‖x − y‖ = √(‖x − y‖²) at x = y. With the mask s = 1[t > 0]
// (tf.step, whose gradient is 0): t^e ≈ s·(s·t + 1 − s)^e, value 0 and gradient 0 where t = 0
// (a subgradient of ‖·‖ at the origin), exact elsewhere.
import * as tf from '@tensorflow/tfjs-core';

/** Elementwise t^e (t ≥ 0, e > 0) with value 0 and gradient 0 where t = 0. */
export function safePower(t: tf.Tensor, exponent: number): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.step(t);
    const safe = tf.add(tf.mul(t, mask), tf.sub(1, mask));
    const powered = exponent === 0.5 ? tf.sqrt(safe) : exponent === 1 ? safe : tf.pow(safe, exponent);
    return tf.mul(powered, mask);
  });
}
