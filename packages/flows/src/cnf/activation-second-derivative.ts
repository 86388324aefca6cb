// Second derivatives σ''(a) of core's activations, given a and h = σ(a), for the backward pass of
// forward-mode tangents (∂(σ'(a) ȧ)/∂a = σ''(a) ȧ):
//   relu, linear: 0; tanh: −2h(1 − h²); sigmoid: h(1 − h)(1 − 2h); softplus: q(1 − q), q = sigmoid(a);
//   silu: q(1 − q)(2 + a(1 − 2q)); selu: 0 (a > 0), h + λα = λα e^a (a ≤ 0); elu: 0 (a > 0), h + 1 = e^a;
//   gelu (exact): φ(a)(2 − a²).
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '@pfm/core';

const SELU_SCALE_ALPHA = 1.7580993408473766;

/** σ''(a) elementwise, from a and h = σ(a); no exponential of a positive argument. */
export function activationSecondDerivative(a: tf.Tensor, h: tf.Tensor, name: Activation): tf.Tensor {
  return tf.tidy(() => {
    switch (name) {
      case 'relu':
      case 'linear':
        return tf.zerosLike(a);
      case 'tanh':
        return tf.mul(tf.mul(h, -2), tf.sub(1, tf.square(h)));
      case 'sigmoid':
        return tf.mul(tf.mul(h, tf.sub(1, h)), tf.sub(1, tf.mul(h, 2)));
      case 'softplus': {
        const q = tf.sigmoid(a);
        return tf.mul(q, tf.sub(1, q));
      }
      case 'silu': {
        const q = tf.sigmoid(a);
        return tf.mul(tf.mul(q, tf.sub(1, q)), tf.add(2, tf.mul(a, tf.sub(1, tf.mul(q, 2)))));
      }
      case 'selu':
        return tf.mul(tf.cast(tf.lessEqual(a, 0), 'float32'), tf.add(h, SELU_SCALE_ALPHA));
      case 'elu':
        return tf.mul(tf.cast(tf.lessEqual(a, 0), 'float32'), tf.add(h, 1));
      case 'gelu': {
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(a), -0.5)), 1 / Math.sqrt(2 * Math.PI));
        return tf.mul(pdf, tf.sub(2, tf.square(a)));
      }
    }
  });
}
