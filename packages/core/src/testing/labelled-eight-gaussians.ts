// FFJORD's 8gaussians (Grathwohl et al. 2019, their toy data code): 8 modes at radius 4/1.414 in
// the directions kπ/4, k = 0…7, each N(centre_k, (0.5/1.414)² I), with each point's mode k as its
// class label, the standard class-conditional toy problem (neighbouring centres 6.1 std apart).
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../rng/rng.js';

const RADIUS = 4 / 1.414;
/** Standard deviation of each mode of `labelledEightGaussians`. */
export const EIGHT_GAUSSIANS_STD = 0.5 / 1.414;
/** Centres of the 8 modes, mode k at radius 4/1.414 in the direction kπ/4. */
export const EIGHT_GAUSSIANS_CENTRES: readonly (readonly [number, number])[] = Array.from(
  { length: 8 },
  (_, k) => [RADIUS * Math.cos((k * Math.PI) / 4), RADIUS * Math.sin((k * Math.PI) / 4)] as const,
);

/**
 * `n` points of 8gaussians `[n, 2]` and their mode labels `[n]` int32, drawn from `createRng(seed)`:
 * first the n labels (uniform on 0…7), then 2n standard normals. The caller owns both tensors.
 */
export function labelledEightGaussians(n: number, seed: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`labelledEightGaussians: n must be a positive integer, got ${n}`);
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, () => rng.int(8));
  const eps = rng.normalArray(2 * n);
  const x = new Float32Array(2 * n);
  labels.forEach((k, i) => {
    x[2 * i] = EIGHT_GAUSSIANS_CENTRES[k]![0] + EIGHT_GAUSSIANS_STD * eps[2 * i]!;
    x[2 * i + 1] = EIGHT_GAUSSIANS_CENTRES[k]![1] + EIGHT_GAUSSIANS_STD * eps[2 * i + 1]!;
  });
  return { x: tf.tensor2d(x, [n, 2]), labels: tf.tensor1d(labels, 'int32') };
}
