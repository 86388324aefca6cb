import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem } from '@pfm/core';

/**
 * y' = y M for rows y = (u, v), M = [[−a, w], [−w, −a]]: (u + iv)' = (−a + iw)(u + iv), so
 * u + iv at time t is e^{(−a + iw)(t − t0)} (u0 + iv0). Counts drift evaluations.
 */
export function dampedRotation(a = 0.5, w = 2): {
  problem: DifferentialProblem;
  exact(y0: number[][], t: number): number[][];
  calls: () => number;
} {
  let count = 0;
  return {
    problem: {
      drift: (_t, y) => {
        count++;
        return tf.tidy(() => tf.matMul(y, tf.tensor2d([-a, w, -w, -a], [2, 2]))) as tf.Tensor2D;
      },
    },
    exact: (y0, t) =>
      y0.map(([u, v]) => {
        const r = Math.exp(-a * t);
        return [r * (Math.cos(w * t) * u! - Math.sin(w * t) * v!), r * (Math.sin(w * t) * u! + Math.cos(w * t) * v!)];
      }),
    calls: () => count,
  };
}

/** Largest absolute entry of the difference between a tensor and host rows. */
export function maxAbsError(y: tf.Tensor2D, rows: number[][]): number {
  const values = y.arraySync();
  let worst = 0;
  values.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - rows[i]![j]!)))));
  return worst;
}
