// KSD²(q‖p) = E_{x,x'~q} u_p(x, x'), u_p(x, x') = s(x)ᵀk(x, x')s(x') + s(x)ᵀ∇_{x'}k + ∇_x kᵀs(x')
// + tr ∇_x∇_{x'}k, with s = ∇ log p (Liu, Lee & Jordan 2016, ICML, Thm 3.6; Chwialkowski, Strathmann &
// Gretton 2016, ICML, eq. 2). For k = φ(r²), r² = ‖x − x'‖², δ = x − x': u = φ sᵀs' + 2φ' δ·(s' − s) − 4φ''r² − 2dφ'.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkEstimator } from '../mmd/estimator.js';
import { estimatorSchema, tileSizeSchema } from '../plugin/schema-parts.js';
import { squaredDistances } from '../kernels/squared-distances.js';
import { checkTileSize, DEFAULT_TILE_SIZE } from '../tiling/tile-ranges.js';
import { tiledPairSum } from '../tiling/tiled-pair-sum.js';

/** The score ∇_x log p(x) of the target: `[n, d]` → `[n, d]` (differentiable if used for training). */
export type ScoreFunction = (x: tf.Tensor2D) => tf.Tensor2D;

/** JSON-able options of {@link kernelSteinDiscrepancy} (and of the `stein` entry): the one place they are written. */
export const kernelSteinSchema = z.strictObject({
  /** `'imq'` (default): (c² + r²)^β, which detects non-convergence (Gorham & Mackey 2017); or `'gaussian'`: exp(−r²/(2ℓ²)). */
  kernel: z.enum(['imq', 'gaussian']).default('imq'),
  /** c for IMQ, ℓ for Gaussian. Default 1. */
  lengthScale: z.number().positive().default(1),
  /** β < 0 for IMQ (β ∈ (−1, 0) is the usual range). Default −1/2. */
  exponent: z.number().negative().default(-0.5),
  /** Default `'unbiased'` (U-statistic over i ≠ j; may be negative); `'biased'` includes i = j (≥ 0). */
  estimator: estimatorSchema.default('unbiased'),
  /** Rows/columns per block of the pairwise sum. Default 1024. */
  tileSize: tileSizeSchema,
});

/** The part of the options of {@link kernelSteinDiscrepancy} that only code gives: the target's score. */
export interface KernelSteinTarget {
  /** s(x) = ∇ log p(x) of the target p. */
  score: ScoreFunction;
}

/** Options of {@link kernelSteinDiscrepancy}: the schema's fields, every one optional, and the score. */
export type KernelSteinOptions = z.input<typeof kernelSteinSchema> & KernelSteinTarget;

/** φ, φ', φ'' of a radial kernel k = φ(r²) evaluated on r². */
type Radial = (r2: tf.Tensor) => [tf.Tensor, tf.Tensor, tf.Tensor];

function radialProfile(kernel: 'imq' | 'gaussian', l: number, beta: number): Radial {
  if (kernel === 'gaussian') {
    const a = 1 / (2 * l * l);
    return (r2) => {
      const phi = tf.exp(tf.mul(r2, -a));
      return [phi, tf.mul(phi, -a), tf.mul(phi, a * a)];
    };
  }
  return (r2) => {
    const base = tf.add(r2, l * l);
    return [tf.pow(base, beta), tf.mul(tf.pow(base, beta - 1), beta), tf.mul(tf.pow(base, beta - 2), beta * (beta - 1))];
  };
}

/**
 * Squared kernel Stein discrepancy of the sample `x` `[n, d]` against a target known through its
 * score → scalar (differentiable in x if `score` is written with tf ops).
 * Source: Liu, Lee & Jordan 2016, ICML, Thm 3.6 and eq. 14; Chwialkowski et al. 2016, ICML;
 * Gorham & Mackey 2017, ICML (IMQ kernel); Cabannes & Arnal 2023, footnote 2.
 */
export function kernelSteinDiscrepancy(x: tf.Tensor2D, options: KernelSteinOptions): tf.Scalar {
  const where = 'kernelSteinDiscrepancy';
  if (!x || !Array.isArray(x.shape) || x.shape.length !== 2) {
    throw new RangeError(`${where}: x must be a 2-D tensor [n, d], got ${x && Array.isArray(x.shape) ? `shape [${x.shape.join(', ')}]` : String(x)}`);
  }
  if (typeof options?.score !== 'function') throw new TypeError(`${where}: score must be a function x [n, d] → ∇log p(x) [n, d]`);
  const estimator = checkEstimator(where, options.estimator ?? 'unbiased');
  const [n, d] = x.shape;
  if (n < (estimator === 'unbiased' ? 2 : 1)) throw new RangeError(`${where}: x needs at least 2 points for the unbiased estimator, got ${n}`);
  const kernel = options.kernel ?? 'imq';
  if (kernel !== 'imq' && kernel !== 'gaussian') throw new RangeError(`${where}: kernel must be "imq" or "gaussian", got ${JSON.stringify(kernel)}`);
  const l = options.lengthScale ?? 1;
  if (!(l > 0) || !Number.isFinite(l)) throw new RangeError(`${where}: lengthScale must be positive, got ${l}`);
  const beta = options.exponent ?? -0.5;
  if (!(beta < 0) || !Number.isFinite(beta)) throw new RangeError(`${where}: exponent must be negative, got ${beta}`);
  const tileSize = checkTileSize(where, options.tileSize ?? DEFAULT_TILE_SIZE);
  const profile = radialProfile(kernel, l, beta);
  const score = (a: tf.Tensor2D) => {
    const s = options.score(a);
    if (!s || s.shape.length !== 2 || s.shape[0] !== a.shape[0] || s.shape[1] !== d) {
      throw new RangeError(`${where}: score(x) must return [${a.shape[0]}, ${d}], got [${s?.shape?.join(', ')}]`);
    }
    return s;
  };
  const steinKernel = (a: tf.Tensor2D, b: tf.Tensor2D) => {
    const sa = score(a);
    const sb = score(b);
    const r2 = squaredDistances(a, b);
    const [phi, phi1, phi2] = profile(r2);
    // δ·(s' − s) = a·s_b − a·s_a − b·s_b + b·s_a, entry (i, j), via matmuls (no [p, q, d] tensor).
    const aSa = tf.sum(tf.mul(a, sa), 1, true);
    const bSb = tf.reshape(tf.sum(tf.mul(b, sb), 1), [1, -1]);
    const cross = tf.sub(tf.add(tf.matMul(a, sb, false, true), tf.matMul(sa, b, false, true)), tf.add(aSa, bSb));
    const ss = tf.matMul(sa, sb, false, true);
    return tf.sub(tf.add(tf.mul(phi, ss), tf.mul(tf.mul(phi1, cross), 2)), tf.add(tf.mul(tf.mul(phi2, r2), 4), tf.mul(phi1, 2 * d))) as tf.Tensor2D;
  };
  const unbiased = estimator === 'unbiased';
  return tf.tidy(() => {
    const total = tiledPairSum(steinKernel, x, null, { tileSize, excludeDiagonal: unbiased });
    return tf.div(total, unbiased ? n * (n - 1) : n * n) as tf.Scalar;
  });
}
