// The decay of the weight average after step s (0-based): no averaging during warm-up, then the
// ramp of TensorFlow's ExponentialMovingAverage with `num_updates`, so early weights (far from
// the final ones) are forgotten fast:
//   d_s = 0                                  for s < W  (θ̄ ← θ),
//   d_s = min(decay, (1 + k) / (10 + k))     for k = s − W ≥ 0.
// Source: tf.train.ExponentialMovingAverage (TensorFlow 1.x API docs, `num_updates`); the start
// delay is the `update_after_step` of common diffusion training code (e.g. ema-pytorch).
import type { EmaConfig } from './ema.js';

/**
 * Decay d_s used by the update after step `step` (0-based): 0 while `step < warmupSteps`,
 * then min(decay, (1 + k)/(10 + k)) with k = step − warmupSteps.
 */
export function emaDecay(config: EmaConfig, step: number): number {
  const k = step - config.warmupSteps;
  if (k < 0) return 0;
  return Math.min(config.decay, (1 + k) / (10 + k));
}
