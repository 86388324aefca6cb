// FFJORD's 8gaussians (centres at radius 4/1.414 in the 8 directions kπ/4, std 0.5/1.414) with each
// point's mode k as its label, and the share of points that land nearest their own centre.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';

const RADIUS = 4 / 1.414;
const STD = 0.5 / 1.414;

/** The 8 mode centres. */
export const EIGHT_CENTRES = Array.from({ length: 8 }, (_, k) => [RADIUS * Math.cos((k * Math.PI) / 4), RADIUS * Math.sin((k * Math.PI) / 4)] as const);

/** n points `[n, 2]` and their mode labels `[n]` (int32), from `seed`. The caller disposes both. */
export function labelledEightGaussians(n: number, seed: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, () => rng.int(8));
  const eps = rng.normalArray(2 * n);
  const x = new Float32Array(2 * n);
  labels.forEach((k, i) => {
    x[2 * i] = EIGHT_CENTRES[k]![0] + STD * eps[2 * i]!;
    x[2 * i + 1] = EIGHT_CENTRES[k]![1] + STD * eps[2 * i + 1]!;
  });
  return { x: tf.tensor2d(x, [n, 2]), labels: tf.tensor1d(labels, 'int32') };
}

/** Fraction of rows of `x` (`[n, 2]`) whose nearest centre is `EIGHT_CENTRES[labels[i]]`. */
export function ownModeFraction(x: tf.Tensor2D, labels: ArrayLike<number>): number {
  const points = x.arraySync();
  let hits = 0;
  points.forEach(([a, b], i) => {
    let best = 0;
    let bestD = Infinity;
    EIGHT_CENTRES.forEach(([cx, cy], k) => {
      const d = (a! - cx) ** 2 + (b! - cy) ** 2;
      if (d < bestD) [best, bestD] = [k, d];
    });
    if (best === labels[i]) hits++;
  });
  return hits / points.length;
}
