// A family x ↦ e^{i w_k·x}, k = 1..M, as 2M real features [cos(x·w_k), sin(x·w_k)]: for complex f,
// |⟨f|μ − ν⟩|² = (⟨cos|μ − ν⟩)² + (⟨sin|μ − ν⟩)², so each weight τ_k is used twice.
import * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';

/** A trigonometric family with its angular frequencies exposed. */
export interface TrigonometricFamily extends TestFunctionFamily {
  /** Angular frequencies w_k, row-major `[M, d]` (features use x·w_k). */
  readonly frequencies: Float64Array;
  /** τ_k, `[M]` (each used for the cosine and the sine feature). */
  readonly frequencyWeights: Float64Array;
}

/**
 * Builds the real family [cos(x·w_k), sin(x·w_k)]: `features(x)` `[n, d]` → `[n, 2M]`,
 * `weights()` → `[2M]` = [τ, τ]. `frequencies` is row-major `[M, d]`.
 */
export function trigonometricFamily(dim: number, frequencies: Float64Array, weights: Float64Array): TrigonometricFamily {
  const count = weights.length;
  const w = Float32Array.from({ length: dim * count }, (_, idx) => {
    const k = idx % count;
    const j = Math.floor(idx / count);
    return frequencies[k * dim + j]!;
  });
  const tau = new Float32Array(2 * count);
  tau.set(weights, 0);
  tau.set(weights, count);
  return {
    size: 2 * count,
    frequencies,
    frequencyWeights: weights,
    features(x: tf.Tensor2D): tf.Tensor2D {
      if (x.shape[1] !== dim) {
        throw new RangeError(`test functions of dimension ${dim} got points of dimension ${x.shape[1]}`);
      }
      return tf.tidy(() => {
        const phase = tf.matMul(x, tf.tensor2d(w, [dim, count]));
        return tf.concat([tf.cos(phase), tf.sin(phase)], 1) as tf.Tensor2D;
      });
    },
    weights: () => tf.tensor1d(tau),
  };
}
