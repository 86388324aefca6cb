// N(μ, Σ): sample x = μ + L z with Σ = L Lᵀ, z ~ N(0, I);
// log p(x) = −½ (d log 2π + log det Σ + ‖L⁻¹(x − μ)‖²).
import * as tf from '@tensorflow/tfjs-core';
import type { DensityMeasure } from '../contracts/measure.js';
import type { Rng } from '../rng/rng.js';
import { cholesky, invertLowerTriangular } from '../linalg/cholesky.js';

export interface GaussianOptions {
  /** Mean μ (length d). Default: zeros of length `dim`. */
  mean?: number[];
  /** Dimension, when `mean` is not given. */
  dim?: number;
  /** Standard deviations σ_i of a diagonal covariance, or one σ for all. */
  std?: number[] | number;
  /** Full covariance Σ, d×d (row-major nested arrays). Excludes `std`. */
  covariance?: number[][];
}

/** A Gaussian measure, isotropic, diagonal or full. `gaussian({ dim: 2 })` is N(0, I₂). */
export interface Gaussian extends DensityMeasure {
  readonly mean: Float64Array;
  /** Row-major Σ. */
  readonly covariance: Float64Array;
}

export function gaussian(options: GaussianOptions = {}): Gaussian {
  const d = options.mean?.length ?? options.dim;
  if (d === undefined || !Number.isInteger(d) || d <= 0) {
    throw new RangeError(`gaussian: give "mean" or a positive integer "dim", got dim=${String(options.dim)}`);
  }
  const mean = Float64Array.from(options.mean ?? new Array<number>(d).fill(0));
  if (!mean.every(Number.isFinite)) throw new RangeError('gaussian: "mean" must be finite numbers');
  const cov = new Float64Array(d * d);
  if (options.covariance !== undefined) {
    if (options.std !== undefined) throw new RangeError('gaussian: give "std" or "covariance", not both');
    if (options.covariance.length !== d || options.covariance.some((r) => r.length !== d)) {
      throw new RangeError(`gaussian: "covariance" must be ${d}×${d}`);
    }
    options.covariance.forEach((row, i) => row.forEach((v, j) => (cov[i * d + j] = v)));
  } else {
    const std = options.std ?? 1;
    const stds = typeof std === 'number' ? new Array<number>(d).fill(std) : std;
    if (stds.length !== d) throw new RangeError(`gaussian: "std" has ${stds.length} entries, expected ${d}`);
    stds.forEach((s, i) => {
      if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`gaussian: std[${i}] must be positive, got ${s}`);
      cov[i * d + i] = s * s;
    });
  }
  const L = cholesky(cov, d, 'gaussian: covariance');
  const Linv = invertLowerTriangular(L, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(L[i * d + i]!);
  const LT = Float32Array.from({ length: d * d }, (_, k) => L[(k % d) * d + Math.floor(k / d)]!);
  const LinvT = Float32Array.from({ length: d * d }, (_, k) => Linv[(k % d) * d + Math.floor(k / d)]!);
  const mean32 = Float32Array.from(mean);
  const constant = -0.5 * (d * Math.log(2 * Math.PI) + logDet);

  return {
    dim: d,
    mean,
    covariance: cov,
    sample(n: number, rng: Rng): tf.Tensor2D {
      return tf.tidy(() => {
        const z = tf.tensor2d(rng.normalArray(n * d), [n, d]);
        return tf.matMul(z, tf.tensor2d(LT, [d, d])).add(tf.tensor1d(mean32)) as tf.Tensor2D;
      });
    },
    logProb(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => {
        const u = tf.matMul(x.sub(tf.tensor1d(mean32)), tf.tensor2d(LinvT, [d, d]));
        return u.square().sum(1).mul(-0.5).add(constant) as tf.Tensor1D;
      });
    },
  };
}
