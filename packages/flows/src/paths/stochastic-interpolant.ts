// Stochastic interpolants (Albergo & Vanden-Eijnden 2023, "Stochastic interpolants: a unifying
// framework", eq. 2.1 and 2.10): x_t = α(t) x0 + β(t) x1 + γ(t) z, z ~ N(0, I), with α(0) = β(1) = 1,
// α(1) = β(0) = 0, γ(0) = γ(1) = 0; the velocity b_t(x) = E[α̇ x0 + β̇ x1 + γ̇ z | x_t = x].
import * as tf from '@tensorflow/tfjs-core';
import type { Interpolant } from './interpolant.js';

/** The (α, β) pair: `linear` α = 1 − t, β = t; `trigonometric` α = cos(πt/2), β = sin(πt/2). */
export type InterpolantCoefficients = 'linear' | 'trigonometric';
/** γ(t): `none` 0; `brownian-bridge` √(a t(1 − t)); `quadratic` a t(1 − t) (smooth at the ends). */
export type InterpolantNoise = 'none' | 'brownian-bridge' | 'quadratic';

/** Options of {@link stochasticInterpolant}. */
export interface StochasticInterpolantOptions {
  coefficients?: InterpolantCoefficients;
  noise?: InterpolantNoise;
  /** The scale a of γ (default 1). */
  noiseScale?: number;
  /** Training times exclude [0, ε) and (1 − ε, 1], where γ̇ of the Brownian bridge is singular (default 1e-3). */
  endpointGap?: number;
}

/** A stochastic interpolant x_t = α x0 + β x1 + γ z with its conditional velocity. */
export function stochasticInterpolant(options: StochasticInterpolantOptions = {}): Interpolant {
  const coefficients = options.coefficients ?? 'linear';
  const noise = options.noise ?? 'quadratic';
  const a = options.noiseScale ?? 1;
  const gap = options.endpointGap ?? 1e-3;
  if (!(a >= 0 && Number.isFinite(a))) throw new RangeError(`stochasticInterpolant: "noiseScale" must be ≥ 0, got ${a}`);
  if (!(gap >= 0 && gap < 0.5)) throw new RangeError(`stochasticInterpolant: "endpointGap" must be in [0, 0.5), got ${gap}`);
  const half = Math.PI / 2;
  const coef = (t: tf.Tensor) => {
    if (coefficients === 'linear') {
      return { alpha: tf.sub(1, t), beta: t, dAlpha: tf.fill(t.shape, -1), dBeta: tf.onesLike(t) };
    }
    const u = tf.mul(t, half);
    return { alpha: tf.cos(u), beta: tf.sin(u), dAlpha: tf.mul(tf.sin(u), -half), dBeta: tf.mul(tf.cos(u), half) };
  };
  const gamma = (t: tf.Tensor) => {
    const p = tf.mul(t, tf.sub(1, t));
    if (noise === 'quadratic') return { g: tf.mul(p, a), dg: tf.mul(tf.sub(1, tf.mul(t, 2)), a) };
    // γ = √(a p), γ̇ = a (1 − 2t) / (2γ).
    const g = tf.sqrt(tf.mul(p, a));
    return { g, dg: tf.div(tf.mul(tf.sub(1, tf.mul(t, 2)), a / 2), tf.maximum(g, 1e-12)) };
  };
  return {
    name: `stochastic-${coefficients}-${noise}`,
    usesNoise: noise !== 'none' && a > 0,
    timeRange: [noise === 'brownian-bridge' ? gap : 0, noise === 'brownian-bridge' ? 1 - gap : 1],
    interpolate(t, x0, x1, z) {
      return tf.tidy(() => {
        const tc = tf.reshape(t, [-1, 1]);
        const { alpha, beta, dAlpha, dBeta } = coef(tc);
        let xt = tf.add(tf.mul(alpha, x0), tf.mul(beta, x1));
        let velocity = tf.add(tf.mul(dAlpha, x0), tf.mul(dBeta, x1));
        if (noise !== 'none' && a > 0) {
          if (!z) throw new TypeError('stochasticInterpolant: a noisy interpolant needs the noise z');
          const { g, dg } = gamma(tc);
          xt = tf.add(xt, tf.mul(g, z));
          velocity = tf.add(velocity, tf.mul(dg, z));
        }
        return { xt: xt as tf.Tensor2D, velocity: velocity as tf.Tensor2D };
      });
    },
  };
}
