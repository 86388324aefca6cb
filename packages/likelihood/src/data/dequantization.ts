// Noise injection before the likelihood (paper, §3, remark on data on a manifold or discrete
// data; Theis, van den Oord & Bethge 2016 for uniform dequantisation): train on x̃ = x + σ·u with
//   uniform:  u ~ U[−½, ½)^d  (σ = the grid step of discrete data),
//   gaussian: u ~ N(0, I)     (data near a lower-dimensional manifold),
// so the model is a density on R^d; its log-likelihood is that of the noisy data x̃.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Rng } from '@pfm/core';

/** Dequantisation options shared by the flow objectives. */
export const dequantizationShape = {
  /** Noise added to every training batch: none, uniform on [−σ/2, σ/2) or Gaussian N(0, σ²). */
  noise: z.enum(['none', 'uniform', 'gaussian']).default('none'),
  /** σ: the width (uniform) or standard deviation (gaussian) of the noise. */
  noiseScale: z.number().positive().default(0.01),
};

/** Kind of dequantisation noise. */
export type NoiseKind = 'none' | 'uniform' | 'gaussian';

/** x̃ = x + σ·u for a batch `[B, d]` → `[B, d]`, drawing u from `rng` (returns x itself for `none`). */
export function dequantize(batch: tf.Tensor2D, noise: NoiseKind, scale: number, rng: Rng): tf.Tensor2D {
  if (noise === 'none') return batch;
  return tf.tidy(() => {
    const u = noise === 'uniform' ? rng.uniform(batch.shape, -0.5, 0.5) : rng.normal(batch.shape);
    return tf.add(batch, tf.mul(u, scale)) as tf.Tensor2D;
  });
}
