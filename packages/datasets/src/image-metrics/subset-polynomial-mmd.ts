// KID's estimator (Bińkowski et al. 2018, "Demystifying MMD GANs", §4 and App. D): the unbiased
// MMD² with the cubic polynomial kernel k(a, b) = (aᵀb / d + 1)³,
//   MMD²ᵤ = Σ_{i≠j} k(xᵢ, xⱼ) / (m(m−1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (m(m−1)) − 2 Σ_{i,j} k(xᵢ, yⱼ) / m²,
// averaged over random subsets of m points of each set; their standard deviation is the spread.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';

/** Options of `subsetPolynomialMmd`. */
export interface SubsetPolynomialMmdOptions {
  /** Points drawn from each set per subset (default 1000; lowered to the smaller set's size). */
  subsetSize?: number;
  /** Number of random subsets (default 100). */
  subsets?: number;
  /** Seed of the subset draws (default 0). */
  seed?: number;
}

/** What `subsetPolynomialMmd` returns. */
export interface SubsetPolynomialMmd {
  /** Mean of the per-subset unbiased MMD² (the KID value). */
  mean: number;
  /** Standard deviation of the per-subset values (numpy's std, divisor = number of subsets). */
  std: number;
  /** The per-subset unbiased MMD² values. */
  values: Float64Array;
  /** Points per set actually used in each subset. */
  subsetSize: number;
}

/** Σ over the entries of a Gram block of k = (g / d + 1)³, in float64, skipping the diagonal if asked. */
function kernelSum(gram: Float32Array, rows: number, cols: number, d: number, skipDiagonal: boolean): number {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let row = 0;
    for (let j = 0; j < cols; j++) {
      if (skipDiagonal && i === j) continue;
      const base = gram[i * cols + j]! / d + 1;
      row += base * base * base;
    }
    total += row;
  }
  return total;
}

/**
 * KID between feature clouds `x` `[n, d]` and `y` `[m, d]` (n, m ≥ 2): for each of `subsets`
 * seeded draws of `subsetSize` rows of each without replacement, the unbiased MMD² with the
 * kernel (aᵀb / d + 1)³; returns their mean and standard deviation. Dot products run on the
 * current backend (float32, one matMul per block); the cubes and sums in float64 on the host.
 * When a subset takes every row of both sets, all subsets are equal: one is computed and the
 * std is 0. Throws a RangeError naming the bad argument or option.
 */
export function subsetPolynomialMmd(x: tf.Tensor2D, y: tf.Tensor2D, options: SubsetPolynomialMmdOptions = {}): SubsetPolynomialMmd {
  const requested = options.subsetSize ?? 1000;
  const subsets = options.subsets ?? 100;
  const seed = options.seed ?? 0;
  if (x.rank !== 2 || y.rank !== 2 || x.shape[1] !== y.shape[1]) {
    throw new RangeError(`subsetPolynomialMmd: x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}] must be [n, d] and [m, d] with the same d`);
  }
  const [n, d] = x.shape;
  const m = y.shape[0];
  if (n < 2) throw new RangeError(`subsetPolynomialMmd: x has ${n} row(s), expected at least 2`);
  if (m < 2) throw new RangeError(`subsetPolynomialMmd: y has ${m} row(s), expected at least 2`);
  if (!Number.isInteger(requested) || requested < 2) throw new RangeError(`subsetSize is ${requested}, expected an integer ≥ 2`);
  if (!Number.isInteger(subsets) || subsets < 1) throw new RangeError(`subsets is ${subsets}, expected a positive integer`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed is ${seed}, expected an integer`);
  const size = Math.min(requested, n, m);
  const everyRow = size === n && size === m;
  const rng = createRng(seed);
  const values = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    if (everyRow && s > 0) {
      values[s] = values[0]!;
      continue;
    }
    // Stream s draws subset s, so a value never depends on how many subsets are asked for.
    const stream = rng.fold(s);
    const pickX = size === n ? null : stream.fold(0).permutation(n).subarray(0, size);
    const pickY = size === m ? null : stream.fold(1).permutation(m).subarray(0, size);
    const [gxx, gyy, gxy] = tf.tidy(() => {
      const xs = pickX ? tf.gather(x, tf.tensor1d(pickX, 'int32')) : x;
      const ys = pickY ? tf.gather(y, tf.tensor1d(pickY, 'int32')) : y;
      return [tf.matMul(xs, xs, false, true), tf.matMul(ys, ys, false, true), tf.matMul(xs, ys, false, true)];
    });
    try {
      const kxx = kernelSum(gxx.dataSync() as Float32Array, size, size, d, true);
      const kyy = kernelSum(gyy.dataSync() as Float32Array, size, size, d, true);
      const kxy = kernelSum(gxy.dataSync() as Float32Array, size, size, d, false);
      values[s] = (kxx + kyy) / (size * (size - 1)) - (2 * kxy) / (size * size);
    } finally {
      tf.dispose([gxx, gyy, gxy]);
    }
  }
  if (everyRow) return { mean: values[0]!, std: 0, values, subsetSize: size };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= subsets;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  return { mean, std: Math.sqrt(variance / subsets), values, subsetSize: size };
}
