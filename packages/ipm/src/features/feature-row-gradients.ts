// ∇ₐ G(a) for G(a) = Σ_k α_k f_k(a) + β_k f_k(a)², row by row, for the families built here (whose
// derivatives are known in closed form: ∇cos(w·a) = −sin(w·a)w, ∇sin(w·a) = cos(w·a)w,
// ∇e^{t·a} = e^{t·a}t). The fused feature discrepancy uses it to run its backward pass tile by tile.
import type * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';

/** `[p, d]` points, α `[size]`, β `[size]` → `[p, d]`: row i is ∇ Σ_k α_k f_k(a_i) + β_k f_k(a_i)². */
export type FeatureRowGradient = (a: tf.Tensor2D, alpha: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;

const rowGradients = new WeakMap<TestFunctionFamily, FeatureRowGradient>();

/** Records the closed-form row gradient of a family built by this package. */
export function registerFeatureRowGradient(family: TestFunctionFamily, gradient: FeatureRowGradient): void {
  rowGradients.set(family, gradient);
}

/** The closed-form row gradient of `family`, if it was built by this package. */
export function featureRowGradient(family: TestFunctionFamily): FeatureRowGradient | undefined {
  return rowGradients.get(family);
}
