// Bits per dimension of discrete data from the density of its dequantisation (Theis, van den
// Oord & Bethge 2016, §3.1; the metric of Dinh et al. 2017 and Papamakarios et al. 2017): with
// x̃ = (x·(K − 1) + u)/K and p a density on [0, 1]^d, the cell of x has volume K^−d and by Jensen
//   log P(x) ≥ E_u[log p(x̃)] − d log K,   so   bpd = (−log p(x̃) + d·log K) / (d·log 2),
// an upper bound (in expectation over u) on −log₂ P(x)/d. Uniform p on the cube gives log₂ K (8 for K = 256).
import * as tf from '@tensorflow/tfjs-core';

/** bpd per row from log p(x̃) `[n]` (nats) of dequantised data of dimension `dim` with `levels` values per coordinate. */
export function bitsPerDimension(logProb: tf.Tensor1D, dim: number, levels: number): tf.Tensor1D {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`bitsPerDimension: dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(levels) || levels < 2) throw new RangeError(`bitsPerDimension: levels must be an integer ≥ 2, got ${levels}`);
  return tf.tidy(() => tf.div(tf.sub(dim * Math.log(levels), logProb), dim * Math.LN2) as tf.Tensor1D);
}
