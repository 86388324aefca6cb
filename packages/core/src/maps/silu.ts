// SiLU / swish, y = x·σ(x) (Elfwing, Uchibe & Doya 2018; Ramachandran, Zoph & Le 2017), with its
// derivative in closed form: y' = σ(x)·(1 + x·(1 − σ(x))) = σ(x)·(1 + x − y).
// In a first-order gradient σ and y come from the forward pass: four elementwise kernels in the
// backward pass instead of autodiff's six, none re-evaluating σ. Inside a nested gradient the
// derivative is rebuilt from x with recorded ops, so it can be differentiated again; autodiff of
// x·σ(x) cannot be: tfjs 4.22 keeps Sigmoid's output for its gradient as a copy the enclosing tape
// does not connect to x, and the second derivative loses its x·σ″(x) term.
import * as tf from '@tensorflow/tfjs-core';
import { insideNestedGradient } from './nested-gradient.js';

const siluReusingSigmoid = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const sigma = tf.sigmoid(x);
  const value = tf.mul(x, sigma);
  save([x, sigma, value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedSigma, savedValue] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.mul(dy, tf.mul(savedSigma, tf.add(tf.sub(savedX, savedValue), 1)));
    },
  };
});

const siluDifferentiableTwice = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  // The copy of an input kept by save is recorded after the op that made the input, so the
  // enclosing tape reaches x through it.
  save([x]);
  return {
    value: tf.mul(x, tf.sigmoid(x)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX] = saved as [tf.Tensor];
      const sigma = tf.sigmoid(savedX);
      return tf.mul(dy, tf.mul(sigma, tf.add(tf.mul(savedX, tf.sub(1, sigma)), 1)));
    },
  };
});

/**
 * SiLU, x·σ(x), elementwise on a float tensor of any shape, differentiated by
 * dx = dy·σ(x)·(1 + x·(1 − σ(x))), also inside a nested gradient (second derivative
 * σ′(x)·(2 + x·(1 − 2σ(x)))). Source: Elfwing et al., "Sigmoid-weighted linear units for neural
 * network function approximation in reinforcement learning", Neural Networks 2018, eq. 3–4.
 */
export function silu(x: tf.Tensor): tf.Tensor {
  // A named scope: tf.profile lists the op as 'silu' beside the kernels it runs.
  return tf.tidy('silu', () => (insideNestedGradient() ? siluDifferentiableTwice(x) : siluReusingSigmoid(x)));
}
