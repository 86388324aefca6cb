// A family x ↦ e^{i w_k·x}, k = 1..M, as 2M real features [cos(x·w_k), sin(x·w_k)]: for complex f,
// |⟨f|μ − ν⟩|² = (⟨cos|μ − ν⟩)² + (⟨sin|μ − ν⟩)², so each weight τ_k is used twice.
import * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';
import { registerFeatureRowGradient } from './feature-row-gradients.js';

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
  const family: TrigonometricFamily = {
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
  // G = Σ_k α_k cos + α'_k sin + β_k cos² + β'_k sin²: ∇G = Σ_k [(α'_k + 2(β'_k − β_k) sin)·cos − α_k sin]·w_k.
  registerFeatureRowGradient(family, (a, alpha, beta) =>
    tf.tidy(() => {
      const phase = tf.matMul(a, tf.tensor2d(w, [dim, count]));
      const c = tf.cos(phase);
      const s = tf.sin(phase);
      const [ac, as] = tf.split(alpha, 2);
      const [bc, bs] = tf.split(beta, 2);
      const coef = tf.sub(tf.mul(c, tf.add(as!, tf.mul(s, tf.mul(tf.sub(bs!, bc!), 2)))), tf.mul(s, ac!));
      return tf.matMul(coef, tf.tensor2d(w, [dim, count]), false, true) as tf.Tensor2D;
    }),
  );
  return family;
}
