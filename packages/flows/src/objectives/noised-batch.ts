// The data pushed along the VP (Ornstein–Uhlenbeck) path to diffusion time s:
//   x_s = α(s) x + σ(s) z,  z ~ N(0, I),  α(s)² + σ(s)² = 1,
// so x_s ~ ρ_s (Cabannes, arXiv 2311.13845, section 4); a Gaussian N(m, v) goes to N(α m, α² v + σ²).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@pfm/core';
import type { VpSchedule } from '../paths/vp-schedule.js';

/**
 * `batch` (`[B, d]`) noised to diffusion time `s` by `schedule`, the noise drawn from `rng`:
 * α(s)·batch + σ(s)·z. At s = 0 it is `batch` itself (no tensor made, no number drawn).
 */
export function noisedBatch(batch: tf.Tensor2D, s: number, schedule: VpSchedule, rng: Rng): tf.Tensor2D {
  if (s === 0) return batch;
  return tf.tidy(() => tf.add(tf.mul(batch, schedule.alpha(s)), tf.mul(rng.normal(batch.shape), schedule.sigma(s))) as tf.Tensor2D);
}
