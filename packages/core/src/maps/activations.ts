// Elementwise activations by name. gelu is the exact x·Φ(x) = ½x(1 + erf(x/√2))
// (Hendrycks & Gimpel 2016); selu uses the constants of Klambauer et al. 2017; silu is x·σ(x)
// with its derivative in closed form (silu.ts).
import * as tf from '@tensorflow/tfjs-core';
import { silu } from './silu.js';

export const ACTIVATIONS = ['relu', 'silu', 'tanh', 'selu', 'gelu', 'elu', 'sigmoid', 'softplus', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export function activate(x: tf.Tensor, name: Activation): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'silu':
      return silu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'selu':
      return tf.selu(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softplus':
      return tf.softplus(x);
    case 'linear':
      return x;
  }
}
