// Energy distance E(μ, ν) = 2E‖X − Y‖^β − E‖X − X'‖^β − E‖Y − Y'‖^β, β ∈ (0, 2)
// (Székely & Rizzo 2013, "Energy statistics", J. Stat. Plan. Inference 143, eq. 3.3); the unbiased
// estimator averages over pairs i ≠ j inside each sample. ‖·‖ has a safe gradient at 0. On host
// backends the three pair sums run as one fused op (value and gradient in one pass, no n×m block);
// on a backend that registers a fused pairwise kernel (webgpu), as three calls of that kernel.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkEstimator } from '../mmd/estimator.js';
import { pairwiseShape } from '../plugin/schema-parts.js';
import { safePower } from '../kernels/safe-power.js';
import { squaredDistances } from '../kernels/squared-distances.js';
import { fusedPairwiseDiscrepancy } from '../pairwise/fused-pairwise-discrepancy.js';
import { backendDistancePowerSum, backendDistancePowerSumAvailable } from '../pairwise/backend-distance-power-sum.js';
import { powerProfile } from '../pairwise/power-profile.js';
import { checkPointClouds } from '../points/check-point-clouds.js';
import { checkFused } from '../pairwise/check-fused.js';
import { checkTileSize, DEFAULT_TILE_SIZE } from '../tiling/tile-ranges.js';
import { tiledPairSum } from '../tiling/tiled-pair-sum.js';

/** Options of {@link energyDistance} (and of the `energy` discrepancy entry): the one place they are written. */
export const energyDistanceSchema = z.strictObject({
  /** β ∈ (0, 2), the power of the distance. Default 1. */
  exponent: z.number().gt(0).lt(2).default(1),
  /**
   * `estimator`: default `'unbiased'`; `'biased'` (V-statistic) is exactly 0 on identical samples and ≥ 0.
   * `tileSize`: rows/columns per block of the pairwise sums (fused: columns per block), default 1024.
   * `fused`: run the fused host loop (one pass for value and gradient, memory O((n + m)·d)) instead
   * of composed tfjs ops on tiles; default true on the cpu and wasm backends, false elsewhere.
   * Left unset on a backend that registers the fused pairwise kernel `PfmPairwiseDistancePowerSum`
   * (@pfm/backend-webgpu, d ≤ 256), that kernel runs; `true` or `false` choose as above there too.
   */
  ...pairwiseShape,
});

/** Options of {@link energyDistance}, as a caller writes them (every field optional). */
export type EnergyDistanceOptions = z.input<typeof energyDistanceSchema>;

/**
 * Energy distance 2E‖X − Y‖^β − E‖X − X'‖^β − E‖Y − Y'‖^β between `x` `[n, d]` and `y` `[m, d]`
 * → scalar, differentiable (finite gradient when points coincide).
 * Source: Székely & Rizzo 2013, J. Statist. Plann. Inference 143(8), §3.
 */
export function energyDistance(x: tf.Tensor2D, y: tf.Tensor2D, options: EnergyDistanceOptions = {}): tf.Scalar {
  const estimator = checkEstimator('energyDistance', options.estimator ?? 'unbiased');
  checkPointClouds('energyDistance', x, y, estimator === 'unbiased' ? 2 : 1);
  const tileSize = checkTileSize('energyDistance', options.tileSize ?? DEFAULT_TILE_SIZE);
  const beta = options.exponent ?? 1;
  if (!(beta > 0 && beta < 2)) throw new RangeError(`energyDistance: exponent must be in (0, 2), got ${beta}`);
  const fused = checkFused('energyDistance', options.fused);
  const n = x.shape[0];
  const m = y.shape[0];
  const unbiased = estimator === 'unbiased';
  const px = unbiased ? n * (n - 1) : n * n;
  const py = unbiased ? m * (m - 1) : m * m;
  if (options.fused === undefined && backendDistancePowerSumAvailable(x.shape[1])) {
    // The diagonal of a self sum adds ‖x_i − x_i‖^β = 0, so the full self sum is the sum over i ≠ j.
    return tf.tidy(() => {
      const sxy = backendDistancePowerSum(x, y, beta);
      const sxx = backendDistancePowerSum(x, x, beta);
      const syy = backendDistancePowerSum(y, y, beta);
      return tf.sub(tf.mul(sxy, 2 / (n * m)), tf.add(tf.div(sxx, px), tf.div(syy, py))) as tf.Scalar;
    });
  }
  if (fused) {
    return fusedPairwiseDiscrepancy(x, y, {
      profile: powerProfile(beta),
      weights: { xx: -1 / px, yy: -1 / py, xy: 2 / (n * m) },
      excludeDiagonal: unbiased,
      block: tileSize,
    });
  }
  const h = (a: tf.Tensor2D, b: tf.Tensor2D) => safePower(squaredDistances(a, b), beta / 2) as tf.Tensor2D;
  return tf.tidy(() => {
    const sxy = tiledPairSum(h, x, y, { tileSize });
    const sxx = tiledPairSum(h, x, null, { tileSize, excludeDiagonal: unbiased });
    const syy = tiledPairSum(h, y, null, { tileSize, excludeDiagonal: unbiased });
    return tf.sub(tf.mul(sxy, 2 / (n * m)), tf.add(tf.div(sxx, px), tf.div(syy, py))) as tf.Scalar;
  });
}
