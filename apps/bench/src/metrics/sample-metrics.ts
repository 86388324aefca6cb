// The quality metrics of one sample against held-out data: exact W2 (optimal assignment on the
// host, Peyré & Cuturi 2019 §3), energy distance (Székely & Rizzo 2013), squared Gaussian MMD with
// the median bandwidth (Gretton et al. 2012) and sliced W2 (Bonneel et al. 2015), from @pfm/ipm.
//
// The published W2 of torchcfm's runner (the [SF]2M paper, Table 2) compare 1,000 generated points
// with its 1,000-point test split. W2 between finite samples is biased upward, more so for small
// ones (two independent 1,000-point moons samples are about 0.11 apart, two 10,000-point ones
// 0.03), so `blockW2` estimates that protocol's expected value: the mean W2 over disjoint random
// 1,000-point blocks of the model sample and of the held-out points.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
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

/** Mean and sample standard deviation of W2 over disjoint blocks. */
export interface BlockW2 {
  mean: number;
  std: number;
  /** Number of blocks. */
  blocks: number;
  /** Points per side of each block. */
  size: number;
}

function shuffledRows(t: tf.Tensor2D, seed: number): Float32Array {
  const [n, d] = t.shape;
  const values = t.dataSync();
  const order = Array.from({ length: n }, (_v, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float32Array(n * d);
  order.forEach((row, i) => out.set(values.subarray(row * d, row * d + d), i * d));
  return out;
}

/**
 * W2 between `size` points of `x` and `size` points of `y`, averaged over the ⌊min(n, m)/size⌋
 * disjoint blocks of a seeded random order of each (`[n, d]`, `[m, d]`); null when a side has
 * fewer than `size` points.
 */
export function blockW2(x: tf.Tensor2D, y: tf.Tensor2D, size = 1000, seed = 0): BlockW2 | null {
  const d = x.shape[1];
  const blocks = Math.floor(Math.min(x.shape[0], y.shape[0]) / size);
  if (blocks < 1) return null;
  const xs = shuffledRows(x, seed);
  const ys = shuffledRows(y, seed + 1);
  const values: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const a = tf.tensor2d(xs.subarray(b * size * d, (b + 1) * size * d), [size, d]);
    const c = tf.tensor2d(ys.subarray(b * size * d, (b + 1) * size * d), [size, d]);
    try {
      values.push(exactW2(a, c));
    } finally {
      tf.dispose([a, c]);
    }
  }
  const mean = values.reduce((s, v) => s + v, 0) / blocks;
  const std = blocks > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (blocks - 1)) : 0;
  return { mean, std, blocks, size };
}
