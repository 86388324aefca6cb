// Derivatives σ'(a) of core's activations, for forward-mode Jacobians of an MLP:
//   relu: 1[a > 0]; silu: s(1 + a(1 − s)), s = sigmoid(a); tanh: 1 − tanh²; selu: λ (a > 0), λα e^a (a ≤ 0)
//   (Klambauer et al. 2017); gelu (exact): Φ(a) + a φ(a); elu: 1 (a > 0), e^a; sigmoid: s(1 − s);
//   softplus: sigmoid(a); linear: 1.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '@pfm/core';

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473766;

/** σ'(a), elementwise; exponentials only see a ≤ 0 so gradients stay finite. */
export function activationDerivative(a: tf.Tensor, name: Activation): tf.Tensor {
  return tf.tidy(() => {
    switch (name) {
      case 'relu':
        return tf.cast(tf.greater(a, 0), 'float32');
      case 'silu': {
        const s = tf.sigmoid(a);
        return tf.mul(s, tf.add(1, tf.mul(a, tf.sub(1, s))));
      }
      case 'tanh':
        return tf.sub(1, tf.square(tf.tanh(a)));
      case 'selu':
        return tf.where(tf.greater(a, 0), tf.fill(a.shape, SELU_SCALE), tf.mul(tf.exp(tf.minimum(a, 0)), SELU_SCALE_ALPHA));
      case 'gelu': {
        const cdf = tf.mul(tf.add(tf.erf(tf.mul(a, Math.SQRT1_2)), 1), 0.5);
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(a), -0.5)), 1 / Math.sqrt(2 * Math.PI));
        return tf.add(cdf, tf.mul(a, pdf));
      }
      case 'elu':
        return tf.where(tf.greater(a, 0), tf.onesLike(a), tf.exp(tf.minimum(a, 0)));
      case 'sigmoid': {
        const s = tf.sigmoid(a);
        return tf.mul(s, tf.sub(1, s));
      }
      case 'softplus':
        return tf.sigmoid(a);
      case 'linear':
        return tf.onesLike(a);
    }
  });
}
