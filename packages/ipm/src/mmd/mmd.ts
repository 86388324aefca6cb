// MMD²(μ, ν) = E k(X, X') + E k(Y, Y') − 2 E k(X, Y)   (Gretton et al. 2012, JMLR 13, Lemma 6);
// unbiased: Σ_{i≠j} k(x_i, x_j)/(n(n−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i, y_j)/(nm)
// (eq. 3); biased: the same with all pairs (eq. 5). Pairwise sums are tiled (tileSize); radial
// kernels on host backends run as one fused op (value and gradient in one pass, no n×m block), and
// Gaussian/Laplace kernels on a backend that registers `PfmPairwiseKernelSum` (webgpu) as its calls.
import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@pfm/core';
import { z } from 'zod';
import { pairwiseShape } from '../plugin/schema-parts.js';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import type { AdaptiveKernel } from '../kernels/adaptive-kernel.js';
import { resolveKernel } from '../kernels/resolve-kernel.js';
import { checkFused } from '../pairwise/check-fused.js';
import { backendKernelSum, backendKernelSumAvailable } from '../pairwise/backend-kernel-sum.js';
import { fusedPairwiseDiscrepancy } from '../pairwise/fused-pairwise-discrepancy.js';
import { checkPointClouds } from '../points/check-point-clouds.js';
import { checkTileSize, DEFAULT_TILE_SIZE } from '../tiling/tile-ranges.js';
import { tiledPairSum } from '../tiling/tiled-pair-sum.js';
import { checkEstimator } from './estimator.js';

/**
 * JSON-able options of {@link mmd} (and, with a kernel reference, of the `mmd` entry): the one place
 * they are written. `estimator`: default `'unbiased'` (U-statistic). `tileSize`: rows/columns per
 * block of the pairwise sums (memory O(tileSize²); fused: columns per block), default 1024.
 * `fused`: run the fused host loop (one pass for value and gradient, memory O((n + m)·d)) when the
 * kernel has a `radialProfile` (every built-in kernel); other kernels always use composed tfjs ops.
 * Default: true on the cpu and wasm backends, false elsewhere. Left unset on a backend that
 * registers the fused kernel `PfmPairwiseKernelSum` (@pfm/backend-webgpu, d ≤ 256), Gaussian and
 * Laplace kernels run through it; `true` or `false` choose as above there too.
 */
export const mmdSchema = z.strictObject({ ...pairwiseShape });

/** The part of the options of {@link mmd} that only code gives: the kernel object. */
export interface MmdKernel {
  /** A symmetric positive-definite kernel. Default: `gaussianKernel({ bandwidth: 'median' })`. */
  kernel?: Kernel;
}

/** Options of {@link mmd}: the schema's fields, every one optional, and the kernel. */
export type MmdOptions = z.input<typeof mmdSchema> & MmdKernel;

/**
 * Squared maximum mean discrepancy MMD²_k between the samples `x` `[n, d]` and `y` `[m, d]` → scalar.
 * Differentiable in x and y. Source: Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, JMLR 13, eqs. 3 and 5.
 */
export function mmd(x: tf.Tensor2D, y: tf.Tensor2D, options: MmdOptions = {}): tf.Scalar {
  const estimator = checkEstimator('mmd', options.estimator ?? 'unbiased');
  checkPointClouds('mmd', x, y, estimator === 'unbiased' ? 2 : 1);
  const tileSize = checkTileSize('mmd', options.tileSize ?? DEFAULT_TILE_SIZE);
  const fused = checkFused('mmd', options.fused);
  const kernel = resolveKernel(options.kernel ?? gaussianKernel(), x, y);
  const n = x.shape[0];
  const m = y.shape[0];
  const unbiased = estimator === 'unbiased';
  const px = unbiased ? n * (n - 1) : n * n;
  const py = unbiased ? m * (m - 1) : m * m;
  const profile = (kernel as Partial<AdaptiveKernel>).radialProfile;
  const backendKernels = profile?.backendKernels;
  if (options.fused === undefined && profile && backendKernels && backendKernelSumAvailable(x.shape[1])) {
    // The backend's fused kernel (webgpu): full sums; the unbiased self sums drop the diagonal's
    // n·κ(0), whose gradient is 0 (a radial kernel is flat at distance 0 in these estimators).
    return tf.tidy(() => {
      const sxx = tf.sub(backendKernelSum(x, x, backendKernels), unbiased ? n * profile.atZero : 0);
      const syy = tf.sub(backendKernelSum(y, y, backendKernels), unbiased ? m * profile.atZero : 0);
      const sxy = backendKernelSum(x, y, backendKernels);
      return tf.sub(tf.add(tf.div(sxx, px), tf.div(syy, py)), tf.mul(sxy, 2 / (n * m))) as tf.Scalar;
    });
  }
  if (fused && profile) {
    return fusedPairwiseDiscrepancy(x, y, {
      profile,
      weights: { xx: 1 / px, yy: 1 / py, xy: -2 / (n * m) },
      excludeDiagonal: unbiased,
      block: tileSize,
    });
  }
  const h = (a: tf.Tensor2D, b: tf.Tensor2D) => kernel.gram(a, b);
  return tf.tidy(() => {
    const sxx = tiledPairSum(h, x, null, { tileSize, excludeDiagonal: unbiased });
    const syy = tiledPairSum(h, y, null, { tileSize, excludeDiagonal: unbiased });
    const sxy = tiledPairSum(h, x, y, { tileSize });
    return tf.sub(tf.add(tf.div(sxx, px), tf.div(syy, py)), tf.mul(sxy, 2 / (n * m))) as tf.Scalar;
  });
}
