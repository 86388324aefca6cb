import type * as tf from '@tensorflow/tfjs-core';

/**
 * A differentiable discrepancy between two point clouds `[n, d]` and `[m, d]` → scalar.
 * Serves as a training loss and as a metric (MMD, energy distance, D₂, Sinkhorn, …).
 */
export type Discrepancy = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar;
