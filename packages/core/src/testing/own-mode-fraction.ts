// The accuracy of a class-conditional sampler on a mixture whose classes are its modes: the
// fraction of samples x_i drawn for class c_i whose nearest centre is centre c_i,
//   (1/n) Σ_i 1[argmin_k ‖x_i − m_k‖ = c_i].
// A sampler that ignores its condition scores about 1/K on K balanced modes.
import type * as tf from '@tensorflow/tfjs-core';
import { EIGHT_GAUSSIANS_CENTRES } from './labelled-eight-gaussians.js';

/**
 * The fraction above for samples `x` (`[n, d]`) and requested classes `labels` (n numbers), with
 * `centres` the mode centres (K rows of d numbers; default the 8gaussians centres). Throws when the
 * counts or widths disagree.
 */
export function ownModeFraction(x: tf.Tensor2D, labels: ArrayLike<number>, centres: readonly (readonly number[])[] = EIGHT_GAUSSIANS_CENTRES): number {
  const points = x.arraySync();
  if (points.length !== labels.length) throw new RangeError(`ownModeFraction: ${points.length} samples but ${labels.length} labels`);
  if (points.length === 0) throw new RangeError('ownModeFraction: no samples');
  const d = x.shape[1];
  if (centres.some((c) => c.length !== d)) throw new RangeError(`ownModeFraction: samples have ${d} columns, the centres do not all have ${d}`);
  let hits = 0;
  points.forEach((p, i) => {
    let best = -1;
    let bestDistance = Infinity;
    centres.forEach((centre, k) => {
      let distance = 0;
      for (let j = 0; j < d; j++) distance += (p[j]! - centre[j]!) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [k, distance];
    });
    if (best === labels[i]) hits++;
  });
  return hits / points.length;
}
