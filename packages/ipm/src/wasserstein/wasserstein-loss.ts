// Exact W_p as a differentiable loss: the value from the exact solver, the gradient from the optimal
// plan (envelope theorem / Danskin): ∂W_p^p/∂x_i = Σ_j π_ij p‖x_i − y_j‖^{p−2}(x_i − y_j), valid where
// the optimal plan is unique (almost everywhere); W_p = (W_p^p)^{1/p} by the chain rule.
import * as tf from '@tensorflow/tfjs-core';
import { checkPointClouds } from '../points/check-point-clouds.js';
import { z } from 'zod';
import type { PointWeights } from '../points/point-weights.js';
import { wasserstein, wassersteinSchema } from './wasserstein.js';

/** JSON-able options of {@link wassersteinLoss} (and of the `wasserstein` entry): those of {@link wasserstein} plus `root`. */
export const wassersteinLossSchema = wassersteinSchema.extend({
  /** Return W_p (true, default) or the optimal cost W_p^p (false). */
  root: z.boolean().default(true),
});

/** Options of {@link wassersteinLoss}: the schema's fields, every one optional, and the point weights (code only). */
export type WassersteinLossOptions = z.input<typeof wassersteinLossSchema> & PointWeights;

/**
 * Exact p-Wasserstein distance between `x` `[n, d]` and `y` `[m, d]` → scalar, differentiable in x and
 * y through the optimal plan (solved on the host in Float64; see {@link wasserstein}).
 * Source: Peyré & Cuturi 2019, "Computational Optimal Transport", §9.1 (gradient of the OT cost).
 */
export function wassersteinLoss(x: tf.Tensor2D, y: tf.Tensor2D, options: WassersteinLossOptions = {}): tf.Scalar {
  checkPointClouds('wassersteinLoss', x, y);
  const root = options.root ?? true;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, ys] = args as [tf.Tensor2D, tf.Tensor2D];
    const [n, d] = xs.shape as [number, number];
    const m = ys.shape[0]!;
    const hx = Float64Array.from(xs.dataSync());
    const hy = Float64Array.from(ys.dataSync());
    const result = wasserstein(xs as tf.Tensor2D, ys as tf.Tensor2D, options);
    const p = result.p;
    const value = root ? result.value : result.cost;
    return {
      value: tf.scalar(value),
      gradFunc: (dy: tf.Tensor) => {
        const gx = new Float64Array(n * d);
        const gy = new Float64Array(m * d);
        const add = (i: number, j: number, mass: number) => {
          let r2 = 0;
          for (let k = 0; k < d; k++) r2 += (hx[i * d + k]! - hy[j * d + k]!) ** 2;
          const factor = p === 2 ? 2 : r2 > 0 ? p * r2 ** ((p - 2) / 2) : 0;
          for (let k = 0; k < d; k++) {
            const v = mass * factor * (hx[i * d + k]! - hy[j * d + k]!);
            gx[i * d + k] = gx[i * d + k]! + v;
            gy[j * d + k] = gy[j * d + k]! - v;
          }
        };
        const plan = result.plan;
        if (plan.kind === 'assignment') plan.assignment.forEach((j, i) => add(i, j, 1 / n));
        else plan.rows.forEach((i, k) => add(i, plan.cols[k]!, plan.mass[k]!));
        // d(cost^{1/p}) = (1/p) cost^{1/p − 1} d(cost); 0 at cost 0 (a subgradient).
        const chain = !root ? 1 : result.cost > 0 ? result.cost ** (1 / p - 1) / p : 0;
        return tf.tidy(() => [
          tf.mul(tf.tensor2d(Float32Array.from(gx, (v) => v * chain), [n, d]), dy),
          tf.mul(tf.tensor2d(Float32Array.from(gy, (v) => v * chain), [m, d]), dy),
        ]);
      },
    };
  });
  return f(x, y) as tf.Scalar;
}
