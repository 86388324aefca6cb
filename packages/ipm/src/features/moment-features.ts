// Moment-generating test functions f_t(x) = e^{t·x}: D₂² = Σ_k τ_k (M_μ(t_k) − M_ν(t_k))², with
// t_k ~ N(0, σ² I) and τ_k = 1/M by default, so that D₂² → MMD² with k(x, y) = exp(σ²‖x + y‖²/2).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng, TestFunctionFamily } from '@pfm/core';
import { z } from 'zod';
import { vectorsSchema, weightsSchema } from '../plugin/schema-parts.js';
import { checkDim, checkFamilyArrays } from './check-family-arrays.js';
import type { FamilyDimension } from './family-dimension.js';
import { registerFeatureRowGradient } from './feature-row-gradients.js';

/** JSON-able options of {@link momentFeatures} (and of the `moment-generating` family entry): the one place they are written. */
export const momentFeaturesSchema = z.strictObject({
  /** M, the number of random points t. Default 64. */
  count: z.number().int().positive().default(64),
  /** σ: t ~ N(0, σ² I). Default 0.5 (e^{t·x} grows fast: keep σ‖x‖ moderate). */
  scale: z.number().positive().default(0.5),
  /** Explicit points t, `[M][d]`. */
  points: vectorsSchema.optional(),
  /** Explicit τ_k, `[M]`. Default 1/M. */
  weights: weightsSchema.optional(),
});

/** The part of the options of {@link momentFeatures} that only code gives: the dimension and the random stream. */
export interface MomentFeaturesContext extends FamilyDimension {
  /** Seeded stream for the points t (unused when `points` is given). */
  rng?: Rng;
}

/** Options of {@link momentFeatures}: the schema's fields, every one optional, `dim` and `rng`. */
export type MomentFeaturesOptions = z.input<typeof momentFeaturesSchema> & MomentFeaturesContext;

/** A moment-generating family with its points exposed. */
export interface MomentFamily extends TestFunctionFamily {
  /** The points t_k, row-major `[M, d]`. */
  readonly points: Float64Array;
}

/**
 * Moment-generating family x ↦ e^{t_k·x}: `features(x)` `[n, d]` → `[n, M]`, `weights()` → `[M]`.
 * Source: Cabannes & Arnal 2023, arXiv 2311.13845, §2 (test functions e^{t·x} identify μ when its
 * moment-generating function is finite near 0).
 */
export function momentFeatures(options: MomentFeaturesOptions): MomentFamily {
  const where = 'momentFeatures';
  const dim = checkDim(where, options.dim);
  let points: Float64Array;
  let M: number;
  if (options.points !== undefined) {
    checkFamilyArrays(where, dim, options.points, options.weights, 'points');
    M = options.points.length;
    points = Float64Array.from(options.points.flat());
  } else {
    if (options.weights !== undefined) throw new RangeError(`${where}: weights can only be given together with points`);
    M = options.count ?? 64;
    if (!Number.isInteger(M) || M < 1) throw new RangeError(`${where}: count must be a positive integer, got ${M}`);
    const scale = options.scale ?? 0.5;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`${where}: scale must be positive, got ${scale}`);
    if (!options.rng || typeof options.rng.normalArray !== 'function') {
      throw new TypeError(`${where}: rng must be an Rng (createRng(seed)) when points are not given`);
    }
    points = Float64Array.from(options.rng.normalArray(M * dim), (v) => v * scale);
  }
  const weights = Float32Array.from(options.weights ?? new Array<number>(M).fill(1 / M));
  const t = Float32Array.from({ length: dim * M }, (_, idx) => points[(idx % M) * dim + Math.floor(idx / M)]!);
  const family: MomentFamily = {
    size: M,
    points,
    features(x: tf.Tensor2D): tf.Tensor2D {
      if (x.shape[1] !== dim) throw new RangeError(`${where}: family of dimension ${dim} got points of dimension ${x.shape[1]}`);
      return tf.tidy(() => tf.exp(tf.matMul(x, tf.tensor2d(t, [dim, M]))) as tf.Tensor2D);
    },
    weights: () => tf.tensor1d(weights),
  };
  // G = Σ_k α_k e^{t_k·a} + β_k e^{2t_k·a}: ∇G = Σ_k (α_k + 2β_k e^{t_k·a}) e^{t_k·a} t_k.
  registerFeatureRowGradient(family, (a, alpha, beta) =>
    tf.tidy(() => {
      const e = tf.exp(tf.matMul(a, tf.tensor2d(t, [dim, M])));
      const coef = tf.mul(e, tf.add(alpha, tf.mul(e, tf.mul(beta, 2))));
      return tf.matMul(coef, tf.tensor2d(t, [dim, M]), false, true) as tf.Tensor2D;
    }),
  );
  return family;
}
