// MMD²(μ, ν) = E k(X, X') + E k(Y, Y') − 2 E k(X, Y)   (Gretton et al. 2012, JMLR 13, Lemma 6);
// unbiased: Σ_{i≠j} k(x_i, x_j)/(n(n−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i, y_j)/(nm)
// (eq. 3); biased: the same with all pairs (eq. 5). Pairwise sums are tiled (tileSize).
import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@pfm/core';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { resolveKernel } from '../kernels/resolve-kernel.js';
import { checkPointClouds } from '../points/check-point-clouds.js';
import { checkTileSize, DEFAULT_TILE_SIZE } from '../tiling/tile-ranges.js';
import { tiledPairSum } from '../tiling/tiled-pair-sum.js';
import { checkEstimator, type Estimator } from './estimator.js';

/** Options of {@link mmd}. */
export interface MmdOptions {
  /** A symmetric positive-definite kernel. Default: `gaussianKernel({ bandwidth: 'median' })`. */
  kernel?: Kernel;
  /** Default `'unbiased'` (U-statistic). */
  estimator?: Estimator;
  /** Rows/columns per block of the pairwise sums (memory O(tileSize²)). Default 1024. */
  tileSize?: number;
}

/**
 * Squared maximum mean discrepancy MMD²_k between the samples `x` `[n, d]` and `y` `[m, d]` → scalar.
 * Differentiable in x and y. Source: Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, JMLR 13, eqs. 3 and 5.
 */
export function mmd(x: tf.Tensor2D, y: tf.Tensor2D, options: MmdOptions = {}): tf.Scalar {
  const estimator = checkEstimator('mmd', options.estimator ?? 'unbiased');
  checkPointClouds('mmd', x, y, estimator === 'unbiased' ? 2 : 1);
  const tileSize = checkTileSize('mmd', options.tileSize ?? DEFAULT_TILE_SIZE);
  const kernel = resolveKernel(options.kernel ?? gaussianKernel(), x, y);
  const h = (a: tf.Tensor2D, b: tf.Tensor2D) => kernel.gram(a, b);
  const n = x.shape[0];
  const m = y.shape[0];
  const unbiased = estimator === 'unbiased';
  return tf.tidy(() => {
    const sxx = tiledPairSum(h, x, null, { tileSize, excludeDiagonal: unbiased });
    const syy = tiledPairSum(h, y, null, { tileSize, excludeDiagonal: unbiased });
    const sxy = tiledPairSum(h, x, y, { tileSize });
    const px = unbiased ? n * (n - 1) : n * n;
    const py = unbiased ? m * (m - 1) : m * m;
    return tf.sub(tf.add(tf.div(sxx, px), tf.div(syy, py)), tf.mul(sxy, 2 / (n * m))) as tf.Scalar;
  });
}
