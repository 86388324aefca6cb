// Mean formulation D₂²(μ, ν; τ) = Σ_i τ_i (⟨f_i|μ⟩ − ⟨f_i|ν⟩)² over a finite family of test
// functions (Cabannes & Arnal 2023, "Touring sampling with pushforward maps", arXiv 2311.13845, §2).
// Unbiased estimator: ⟨f|μ⟩² ≈ E f(X₁) f(X₂) over independent pairs = ((Σf)² − Σf²)/(n(n−1)).
// Families built here (Fourier, characteristic, moment) run as one fused op with a closed-form backward.
import * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';
import { z } from 'zod';
import { checkEstimator } from '../mmd/estimator.js';
import { estimatorSchema, tileSizeSchema } from '../plugin/schema-parts.js';
import { checkPointClouds } from '../points/check-point-clouds.js';
import { checkTileSize, DEFAULT_TILE_SIZE } from '../tiling/tile-ranges.js';
import { tiledRowSum } from '../tiling/tiled-row-sum.js';
import { featureRowGradient } from './feature-row-gradients.js';
import { fusedFeatureDiscrepancy } from './fused-feature-discrepancy.js';

/** JSON-able options of {@link featureDiscrepancy} (and of the `features`, `fourier` and `characteristic` entries): the one place they are written. */
export const featureDiscrepancySchema = z.strictObject({
  /**
   * `'unbiased'` (default): Σ τ_i [Σ_{j≠k} f_i(x_j) f_i(x_k)/(n(n−1)) + (same for y) − 2 f̄_i(x) f̄_i(y)];
   * `'biased'`: Σ τ_i (f̄_i(x) − f̄_i(y))², exactly 0 on identical samples and ≥ 0.
   */
  estimator: estimatorSchema.default('unbiased'),
  /** Rows per block when evaluating features (memory O(tileSize·m)). Default 1024. */
  tileSize: tileSizeSchema,
  /**
   * One op with a closed-form, tiled backward (memory O(tileSize·m) under a gradient tape too),
   * available for the families of this package. Default: true for them; other families (whose
   * features may hold trainable variables) always use composed tfjs ops.
   */
  fused: z.boolean().optional(),
});

/** The part of the options of {@link featureDiscrepancy} that only code gives: the family object. */
export interface FeatureDiscrepancyFamily {
  /** The test functions f_1..f_m and their weights τ. */
  family: TestFunctionFamily;
}

/** Options of {@link featureDiscrepancy}: the schema's fields, every one optional, and the family. */
export type FeatureDiscrepancyOptions = z.input<typeof featureDiscrepancySchema> & FeatureDiscrepancyFamily;

/**
 * D₂² = Σ_i τ_i (⟨f_i|μ⟩ − ⟨f_i|ν⟩)² between `x` `[n, d]` and `y` `[m, d]` → scalar, differentiable.
 * Source: Cabannes & Arnal 2023, arXiv 2311.13845, the mean formulation D₂ and its unbiased estimator.
 */
export function featureDiscrepancy(x: tf.Tensor2D, y: tf.Tensor2D, options: FeatureDiscrepancyOptions): tf.Scalar {
  const estimator = checkEstimator('featureDiscrepancy', options.estimator ?? 'unbiased');
  checkPointClouds('featureDiscrepancy', x, y, estimator === 'unbiased' ? 2 : 1);
  const tileSize = checkTileSize('featureDiscrepancy', options.tileSize ?? DEFAULT_TILE_SIZE);
  const family = options.family;
  if (!family || typeof family.features !== 'function' || typeof family.weights !== 'function') {
    throw new TypeError('featureDiscrepancy: family must be a TestFunctionFamily { size, features(x), weights() }');
  }
  if (options.fused !== undefined && typeof options.fused !== 'boolean') {
    throw new TypeError(`featureDiscrepancy: fused must be a boolean, got ${JSON.stringify(options.fused)}`);
  }
  const rowGradient = (options.fused ?? true) ? featureRowGradient(family) : undefined;
  const n = x.shape[0];
  const m = y.shape[0];
  const size = family.size;
  return tf.tidy(() => {
    const tau = family.weights();
    if (tau.shape.length !== 1 || tau.shape[0] !== size) {
      throw new RangeError(`featureDiscrepancy: family.weights() has shape [${tau.shape.join(', ')}], expected [${size}] (family.size)`);
    }
    const checked = (a: tf.Tensor2D) => {
      const f = family.features(a);
      if (f.shape.length !== 2 || f.shape[1] !== size || f.shape[0] !== a.shape[0]) {
        throw new RangeError(`featureDiscrepancy: family.features(x) has shape [${f.shape.join(', ')}], expected [${a.shape[0]}, ${size}]`);
      }
      return f;
    };
    if (rowGradient) {
      return fusedFeatureDiscrepancy(x, y, { features: checked, weights: tau, gradient: rowGradient, unbiased: estimator === 'unbiased', tileSize });
    }
    if (estimator === 'biased') {
      const mx = tf.div(tiledRowSum(checked, x, tileSize), n);
      const my = tf.div(tiledRowSum(checked, y, tileSize), m);
      return tf.sum(tf.mul(tau, tf.square(tf.sub(mx, my)))) as tf.Scalar;
    }
    const withSquares = (a: tf.Tensor2D) => {
      const f = checked(a);
      return tf.concat([f, tf.square(f)], 1) as tf.Tensor2D;
    };
    const [s1x, s2x] = tf.split(tiledRowSum(withSquares, x, tileSize), 2);
    const [s1y, s2y] = tf.split(tiledRowSum(withSquares, y, tileSize), 2);
    const selfX = tf.div(tf.sub(tf.square(s1x!), s2x!), n * (n - 1));
    const selfY = tf.div(tf.sub(tf.square(s1y!), s2y!), m * (m - 1));
    const cross = tf.mul(tf.mul(s1x!, s1y!), 2 / (n * m));
    return tf.sum(tf.mul(tau, tf.sub(tf.add(selfX, selfY), cross))) as tf.Scalar;
  });
}
