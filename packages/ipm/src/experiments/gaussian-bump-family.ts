// Gaussian bumps f_c(x) = exp(−‖x − c‖²/(2w²)) centred on a fixed set of points c, as a finite
// test-function family (Cabannes, arXiv:2311.13845, section 2): the mean formulation
// D₂² = Σ_c τ_c ⟨f_c|μ − ν⟩² over it is an MMD with the kernel k(x, y) = Σ_c τ_c f_c(x) f_c(y).
import * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';

/** Options of {@link gaussianBumpFamily}. */
export interface GaussianBumpFamilyOptions {
  /** Centres c, `[m][d]`. */
  centers: number[][];
  /** Width w > 0 of every bump. */
  width: number;
  /** τ_c ≥ 0, `[m]`; default 1/m each. */
  weights?: number[];
}

/** A family of Gaussian bumps with its centres exposed. */
export interface GaussianBumpFamily extends TestFunctionFamily {
  readonly centers: number[][];
  readonly width: number;
}

/**
 * Gaussian bumps: `features(x)` `[n, d]` → `[n, m]` with entries exp(−‖x_i − c_j‖²/(2w²)),
 * `weights()` → `[m]`.
 */
export function gaussianBumpFamily(options: GaussianBumpFamilyOptions): GaussianBumpFamily {
  const { centers, width } = options;
  if (!Array.isArray(centers) || centers.length === 0) {
    throw new RangeError(`gaussianBumpFamily: "centers" must be a non-empty [m][d] array, got ${JSON.stringify(centers)}`);
  }
  const dim = centers[0]!.length;
  centers.forEach((c, i) => {
    if (!Array.isArray(c) || c.length !== dim || dim === 0 || !c.every(Number.isFinite)) {
      throw new RangeError(`gaussianBumpFamily: "centers[${i}]" must hold ${dim || 'at least one'} finite number(s), got ${JSON.stringify(c)}`);
    }
  });
  if (!(Number.isFinite(width) && width > 0)) throw new RangeError(`gaussianBumpFamily: "width" must be a positive number, got ${width}`);
  const m = centers.length;
  const weights = options.weights ?? centers.map(() => 1 / m);
  if (weights.length !== m || !weights.every((t) => Number.isFinite(t) && t >= 0)) {
    throw new RangeError(`gaussianBumpFamily: "weights" must hold ${m} nonnegative numbers (one per centre), got ${JSON.stringify(weights)}`);
  }
  const flat = Float32Array.from(centers.flat());
  const tau = Float32Array.from(weights);
  return {
    size: m,
    centers,
    width,
    features(x: tf.Tensor2D): tf.Tensor2D {
      if (x.rank !== 2 || x.shape[1] !== dim) {
        throw new RangeError(`gaussianBumpFamily: points must be [n, ${dim}], got [${x.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const c = tf.tensor2d(flat, [m, dim]);
        // ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖², clamped at 0 against rounding.
        const sq = tf.relu(tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, c, false, true))), tf.reshape(tf.sum(tf.square(c), 1), [1, m])));
        return tf.exp(tf.div(sq, -2 * width * width)) as tf.Tensor2D;
      });
    },
    weights: () => tf.tensor1d(tau),
  };
}
