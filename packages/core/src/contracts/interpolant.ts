import type * as tf from '@tensorflow/tfjs-core';

/** A point on a conditional path and the velocity regressed onto there. */
export interface InterpolantSample {
  /** x_t, `[n, d]`. */
  xt: tf.Tensor2D;
  /** The conditional velocity ∂_t x_t given (x0, x1, z), `[n, d]`: the flow-matching target. */
  velocity: tf.Tensor2D;
}

/**
 * A conditional path between noise x0 (t = 0) and data x1 (t = 1), possibly with extra Gaussian
 * noise z. Its marginal velocity v_t(x) = E[∂_t x_t | x_t = x] transports the law of x0 to the
 * law of x1 (Lipman et al. 2023; Albergo & Vanden-Eijnden 2023).
 */
export interface Interpolant {
  readonly name: string;
  /** Whether `interpolate` uses the extra noise z. */
  readonly usesNoise: boolean;
  /** Training times are drawn uniformly from [tMin, tMax] (endpoints with singular velocity excluded). */
  readonly timeRange: readonly [number, number];
  /** t `[n]`, x0 and x1 (and z) `[n, d]`. */
  interpolate(t: tf.Tensor1D, x0: tf.Tensor2D, x1: tf.Tensor2D, z?: tf.Tensor2D): InterpolantSample;
}
