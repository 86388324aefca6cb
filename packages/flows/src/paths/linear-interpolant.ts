// The linear (conditional optimal-transport) path from noise x0 at t = 0 to data x1 at t = 1:
//   x_t = (1 − (1 − σ_min) t) x0 + t x1 + σ z,   u_t = x1 − (1 − σ_min) x0,
// σ_min as in Lipman et al. 2023 (eq. 20–23, with time reversed to run noise → data) and the
// constant Gaussian width σ of Tong et al. 2024 (I-CFM, eq. 14–15); σ = σ_min = 0 is the
// rectified-flow path of Liu et al. 2023.
import * as tf from '@tensorflow/tfjs-core';
import type { Interpolant } from './interpolant.js';

/** Options of {@link linearInterpolant}. */
export interface LinearInterpolantOptions {
  /** Constant Gaussian width σ around the straight line (Tong et al.; default 0). */
  sigma?: number;
  /** Width σ_min of the path at the data end (Lipman et al.; default 0). */
  sigmaMin?: number;
}

/** The linear interpolant of conditional flow matching. */
export function linearInterpolant(options: LinearInterpolantOptions = {}): Interpolant {
  const sigma = options.sigma ?? 0;
  const sigmaMin = options.sigmaMin ?? 0;
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`linearInterpolant: "sigma" must be ≥ 0, got ${sigma}`);
  if (!(sigmaMin >= 0 && sigmaMin < 1)) throw new RangeError(`linearInterpolant: "sigmaMin" must be in [0, 1), got ${sigmaMin}`);
  return {
    name: 'linear',
    usesNoise: sigma > 0,
    timeRange: [0, 1],
    interpolate(t, x0, x1, z) {
      return tf.tidy(() => {
        const tc = tf.reshape(t, [-1, 1]);
        const a = tf.sub(1, tf.mul(tc, 1 - sigmaMin));
        let xt = tf.add(tf.mul(a, x0), tf.mul(tc, x1));
        if (sigma > 0) {
          if (!z) throw new TypeError('linearInterpolant: sigma > 0 needs the noise z');
          xt = tf.add(xt, tf.mul(z, sigma));
        }
        const velocity = tf.sub(x1, tf.mul(x0, 1 - sigmaMin));
        return { xt: xt as tf.Tensor2D, velocity: velocity as tf.Tensor2D };
      });
    },
  };
}
