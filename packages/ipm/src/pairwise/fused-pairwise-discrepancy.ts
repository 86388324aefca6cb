// D = w_xx S_xx + w_yy S_yy + w_xy S_xy with S_ab = Σ κ(‖a_i − b_j‖²) (self sums over i ≠ j for
// U-statistics): MMD² (Gretton et al. 2012, JMLR 13, eqs. 3, 5) and the energy distance (Székely &
// Rizzo 2013, eq. 3.3) as one differentiable op whose forward and backward are fused host loops.
import * as tf from '@tensorflow/tfjs-core';
import type { HostPoints } from '../points/points.js';
import { fusedPairSum } from './fused-pair-sum.js';
import type { RadialProfile } from './radial-profile.js';

/** Options of {@link fusedPairwiseDiscrepancy}. */
export interface FusedPairwiseOptions {
  profile: RadialProfile;
  /** Weights of S_xx, S_yy and S_xy. */
  weights: { xx: number; yy: number; xy: number };
  /** U-statistics: self sums leave out i = j. */
  excludeDiagonal: boolean;
  /** Columns per block of the host loop. */
  block: number;
}

// tfjs only records a tape inside tf.grad / tf.variableGrads / optimizer.minimize: outside one,
// the forward skips the gradient. (Engine state is not public API; if it is missing, assume a tape.)
function tapeIsOn(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return typeof state?.gradientDepth === 'number' ? state.gradientDepth > 0 : true;
}

function hostOf(t: tf.Tensor2D): HostPoints {
  return { data: Float64Array.from(t.dataSync()), n: t.shape[0], d: t.shape[1] };
}

/**
 * w_xx S_xx + w_yy S_yy + w_xy S_xy between `x` `[n, d]` and `y` `[m, d]` → scalar, differentiable
 * in both. Runs on the host (dataSync) in Float64 in O((n + m)·d + block) memory; under a gradient
 * tape the forward pass also accumulates the gradient, which the backward pass only scales by dy.
 */
export function fusedPairwiseDiscrepancy(x: tf.Tensor2D, y: tf.Tensor2D, options: FusedPairwiseOptions): tf.Scalar {
  const { profile, weights, excludeDiagonal, block } = options;
  const run = (hx: HostPoints, hy: HostPoints, withGradient: boolean) => {
    const gx = withGradient ? new Float64Array(hx.n * hx.d) : null;
    const gy = withGradient ? new Float64Array(hy.n * hy.d) : null;
    const grad = (scale: number, a: Float64Array | null, b: Float64Array | null) =>
      a && scale !== 0 ? { scale, gx: a, gy: b } : null;
    const includeDiagonal = !excludeDiagonal;
    const sxx = weights.xx === 0 ? 0 : fusedPairSum(hx, null, profile, { block, includeDiagonal, gradient: grad(weights.xx, gx, null) });
    const syy = weights.yy === 0 ? 0 : fusedPairSum(hy, null, profile, { block, includeDiagonal, gradient: grad(weights.yy, gy, null) });
    const sxy = weights.xy === 0 ? 0 : fusedPairSum(hx, hy, profile, { block, gradient: grad(weights.xy, gx, gy) });
    return { value: weights.xx * sxx + weights.yy * syy + weights.xy * sxy, gx, gy };
  };
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, ys] = args as [tf.Tensor2D, tf.Tensor2D];
    const hx = hostOf(xs);
    const hy = hostOf(ys);
    let result = run(hx, hy, tapeIsOn());
    return {
      value: tf.scalar(result.value),
      gradFunc: (dy: tf.Tensor) => {
        if (!result.gx) result = run(hx, hy, true);
        const { gx, gy } = result;
        return tf.tidy(() => [
          tf.mul(tf.tensor2d(Float32Array.from(gx!), [hx.n, hx.d]), dy),
          tf.mul(tf.tensor2d(Float32Array.from(gy!), [hy.n, hy.d]), dy),
        ]);
      },
    };
  });
  return op(x, y) as tf.Scalar;
}
