// The quality metrics of one sample against held-out data: exact W2 (optimal assignment on the
// host, Peyré & Cuturi 2019 §3), energy distance (Székely & Rizzo 2013), squared Gaussian MMD with
// the median bandwidth (Gretton et al. 2012) and sliced W2 (Bonneel et al. 2015), from @pfm/ipm.
import * as tf from '@tensorflow/tfjs-core';
import { energyDistance, mmd, slicedWasserstein, wasserstein } from '@pfm/ipm';

/** Metrics of `x` `[n, d]` against `y` `[m, d]`; tensors are read outside any tidy. */
export interface SampleMetrics {
  w2: number;
  energy: number;
  mmd: number;
  slicedW: number;
}

function scalar(make: () => tf.Scalar): number {
  const s = make();
  try {
    return s.dataSync()[0]!;
  } finally {
    s.dispose();
  }
}

/** Exact W2 of `x` against `y` (`[n, d]` each): sqrt of the optimal mean squared cost. */
export function exactW2(x: tf.Tensor2D, y: tf.Tensor2D): number {
  return wasserstein(x, y, { p: 2 }).value;
}

/** W2, energy distance, Gaussian MMD² (median bandwidth) and sliced W2 of `x` against `y`. */
export function sampleMetrics(x: tf.Tensor2D, y: tf.Tensor2D, only?: 'w2-energy'): SampleMetrics {
  const w2 = exactW2(x, y);
  const energy = scalar(() => energyDistance(x, y));
  if (only === 'w2-energy') return { w2, energy, mmd: Number.NaN, slicedW: Number.NaN };
  return {
    w2,
    energy,
    mmd: scalar(() => mmd(x, y)),
    slicedW: scalar(() => slicedWasserstein(x, y, { projections: 100, seed: 0 })),
  };
}
