import type * as tf from '@tensorflow/tfjs-core';

/**
 * A positive-definite kernel k(x, y) on R^d.
 * `gram(x, y)`: `[n, d]`, `[m, d]` → `[n, m]` with entries k(x_i, y_j).
 */
export interface Kernel {
  gram(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;
}

/**
 * A finite family of test functions f_1..f_m with weights τ_1..τ_m (the measure τ of the
 * paper's mean formulation D₂² = Σ τ_i ⟨f_i | μ − μ₁⟩²). Complex families return their real
 * and imaginary parts as separate real features.
 */
export interface TestFunctionFamily {
  /** Number of features m. */
  readonly size: number;
  /** `[n, d]` → `[n, m]`: f_i(x_j). */
  features(x: tf.Tensor2D): tf.Tensor2D;
  /** `[m]`: the weights τ_i ≥ 0. */
  weights(): tf.Tensor1D;
}
