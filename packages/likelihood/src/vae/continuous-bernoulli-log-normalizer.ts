// The log normaliser of the continuous Bernoulli density p(x | λ) = C(λ) λ^x (1 − λ)^(1−x) on [0, 1]
// (Loaiza-Ganem & Cunningham 2019, "The continuous Bernoulli", eq. 2): with logits ℓ, λ = σ(ℓ),
//   C = 2 artanh(1 − 2λ)/(1 − 2λ) = ℓ / tanh(ℓ/2)   (even in ℓ, C → 2 as ℓ → 0),
//   log C ≈ log 2 + ℓ²/12 − 7ℓ⁴/1440 near 0 (Taylor; the closed form is 0/0 there).
import * as tf from '@tensorflow/tfjs-core';

/** |ℓ| below which the Taylor expansion replaces log(|ℓ| / tanh(|ℓ|/2)) (error O(ℓ⁶) < 1e-13). */
const TAYLOR_BELOW = 1e-2;

/** log C(ℓ) elementwise for logits `[...]` → `[...]`; finite with finite gradients everywhere. */
export function continuousBernoulliLogNormalizer(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(logits);
    const small = tf.less(a, TAYLOR_BELOW);
    // The unused branch is evaluated at a safe point so that neither branch makes a NaN gradient.
    const safe = tf.where(small, tf.fill(a.shape, TAYLOR_BELOW), a);
    const exact = tf.sub(tf.log(safe), tf.log(tf.tanh(tf.mul(safe, 0.5))));
    const sq = tf.square(tf.where(small, logits, tf.zerosLike(logits)));
    const taylor = tf.add(Math.log(2), tf.sub(tf.div(sq, 12), tf.mul(tf.square(sq), 7 / 1440)));
    return tf.where(small, taylor, exact);
  });
}
