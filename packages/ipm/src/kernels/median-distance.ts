// The median heuristic (Gretton et al. 2012, "A kernel two-sample test", §8): the bandwidth is
// the median Euclidean distance between distinct points of the pooled sample. Computed on the
// host from at most `maxPoints` evenly strided points (O(maxPoints²) work), without gradient.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Median of ‖z_i − z_j‖ over pairs i < j of the pooled points z = x ∪ y (`[n, d]`, `[m, d]`),
 * using at most `maxPoints` of them. Returns 1 if every distance is 0 (so a bandwidth stays > 0).
 */
export function medianDistance(x: tf.Tensor2D, y: tf.Tensor2D | null, maxPoints = 512): number {
  const d = x.shape[1];
  const parts = [x.dataSync(), ...(y ? [y.dataSync()] : [])];
  const total = x.shape[0] + (y ? y.shape[0] : 0);
  const count = Math.min(total, maxPoints);
  const pooled = new Float64Array(count * d);
  const xs = parts[0]!;
  for (let c = 0; c < count; c++) {
    const idx = Math.floor((c * total) / count);
    const source = idx < x.shape[0] ? xs : parts[1]!;
    const row = idx < x.shape[0] ? idx : idx - x.shape[0];
    for (let k = 0; k < d; k++) pooled[c * d + k] = source[row * d + k]!;
  }
  const dists = new Float64Array((count * (count - 1)) / 2);
  let p = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = pooled[i * d + k]! - pooled[j * d + k]!;
        s += t * t;
      }
      dists[p++] = Math.sqrt(s);
    }
  }
  if (dists.length === 0) return 1;
  dists.sort();
  const mid = dists.length >> 1;
  const median = dists.length % 2 === 1 ? dists[mid]! : 0.5 * (dists[mid - 1]! + dists[mid]!);
  return median > 0 ? median : 1;
}
