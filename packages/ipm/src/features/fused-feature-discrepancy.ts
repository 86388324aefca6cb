// D₂² = Σ_k τ_k (⟨f_k|μ⟩ − ⟨f_k|ν⟩)² as one differentiable op (Cabannes & Arnal 2023, arXiv
// 2311.13845, §2): the forward reduces the features tile by tile to the sums s₁ = Σ_i f(a_i),
// s₂ = Σ_i f(a_i)², and the gradient is ∂D/∂a_i = ∇G(a_i) with G = Σ_k α_k f_k + β_k f_k², whose
// constant coefficients come from the sums, evaluated tile by tile in closed form. No [n, size]
// feature matrix is kept for the backward pass: memory O(tileSize·size + (n + m)·d) under a tape.
import * as tf from '@tensorflow/tfjs-core';
import { tileRanges } from '../tiling/tile-ranges.js';
import { tiledRowSum, type RowFunction } from '../tiling/tiled-row-sum.js';
import type { FeatureRowGradient } from './feature-row-gradients.js';

/** Inputs of {@link fusedFeatureDiscrepancy}. */
export interface FusedFeatureOptions {
  /** Checked features `[p, d]` → `[p, size]`. */
  features: RowFunction;
  /** τ `[size]`. */
  weights: tf.Tensor1D;
  gradient: FeatureRowGradient;
  unbiased: boolean;
  tileSize: number;
}

function rowGradients(gradient: FeatureRowGradient, a: tf.Tensor2D, alpha: tf.Tensor1D, beta: tf.Tensor1D, tileSize: number): tf.Tensor2D {
  const n = a.shape[0];
  if (n <= tileSize) return gradient(a, alpha, beta);
  const parts = tileRanges(n, tileSize).map((r) => tf.tidy(() => gradient(tf.slice(a, [r.start, 0], [r.size, -1]) as tf.Tensor2D, alpha, beta)));
  const out = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return out;
}

/** D₂² between `x` `[n, d]` and `y` `[m, d]` → scalar (U- or V-statistic), differentiable in both. */
export function fusedFeatureDiscrepancy(x: tf.Tensor2D, y: tf.Tensor2D, options: FusedFeatureOptions): tf.Scalar {
  const { features, weights: tau, gradient, unbiased, tileSize } = options;
  const n = x.shape[0];
  const m = y.shape[0];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, ys, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    let value: tf.Scalar;
    let coefficients: tf.Tensor1D[];
    if (!unbiased) {
      // D = Σ τ (s₁ˣ/n − s₁ʸ/m)²: α_x = 2τ·diff/n, α_y = −2τ·diff/m, β = 0.
      const diff = tf.sub(tf.div(tiledRowSum(features, xs, tileSize), n), tf.div(tiledRowSum(features, ys, tileSize), m));
      value = tf.sum(tf.mul(tau, tf.square(diff)));
      const zero = tf.zerosLike(tau);
      coefficients = [tf.mul(tf.mul(tau, diff), 2 / n), zero, tf.mul(tf.mul(tau, diff), -2 / m), zero];
    } else {
      const withSquares = (a: tf.Tensor2D) => {
        const f = features(a);
        return tf.concat([f, tf.square(f)], 1) as tf.Tensor2D;
      };
      const [s1x, s2x] = tf.split(tiledRowSum(withSquares, xs, tileSize), 2) as [tf.Tensor1D, tf.Tensor1D];
      const [s1y, s2y] = tf.split(tiledRowSum(withSquares, ys, tileSize), 2) as [tf.Tensor1D, tf.Tensor1D];
      const px = n * (n - 1);
      const py = m * (m - 1);
      const selfX = tf.div(tf.sub(tf.square(s1x), s2x), px);
      const selfY = tf.div(tf.sub(tf.square(s1y), s2y), py);
      const cross = tf.mul(tf.mul(s1x, s1y), 2 / (n * m));
      value = tf.sum(tf.mul(tau, tf.sub(tf.add(selfX, selfY), cross)));
      // ∂/∂x_i: τ[(2s₁ˣ − 2f(x_i))/(n(n−1)) − 2s₁ʸ/(nm)]·∇f(x_i) = ∇[α_x f + β_x f²](x_i).
      coefficients = [
        tf.mul(tau, tf.sub(tf.mul(s1x, 2 / px), tf.mul(s1y, 2 / (n * m)))),
        tf.mul(tau, -1 / px),
        tf.mul(tau, tf.sub(tf.mul(s1y, 2 / py), tf.mul(s1x, 2 / (n * m)))),
        tf.mul(tau, -1 / py),
      ];
    }
    // The inputs are saved too: a caller may dispose them before the backward pass runs.
    save([xs, ys, ...coefficients]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, ax, bx, ay, by] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        return [
          tf.tidy(() => tf.mul(rowGradients(gradient, sx, ax, bx, tileSize), dy)),
          tf.tidy(() => tf.mul(rowGradients(gradient, sy, ay, by, tileSize), dy)),
        ];
      },
    };
  });
  return op(x, y) as tf.Scalar;
}
