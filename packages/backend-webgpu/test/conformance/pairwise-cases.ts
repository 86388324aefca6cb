// The fused pairwise kernels (webgpu only) against the composed formula on cpu: row sums
// r_i = Σ_j ‖x_i − y_j‖^β and their gradients, for a cross sum and a self sum (x against itself,
// whose diagonal contributes 0 and a safe zero gradient). Sums of m terms of size ~1 in float32
// in another order: 1e-5 relative; the composed form's sqrt of a squared distance and the
// kernel's differ by an ulp or two per term.
import * as tf from '@tensorflow/tfjs-core';
import { energyDistance } from '@pfm/ipm';
import { PAIRWISE_DISTANCE_POWER_SUM } from '../../src/pairwise/pairwise-kernel-names.js';
import { ARITHMETIC, type KernelCase } from './kernel-cases.js';
import { wave } from './wave.js';

/** Σ_j ‖x_i − y_j‖^β, composed from tfjs ops (the n×m block), with a zero gradient at coinciding points. */
function composedRowSums(x: tf.Tensor2D, y: tf.Tensor2D, beta: number): tf.Tensor1D {
  const diff = tf.sub(tf.expandDims(x, 1), tf.expandDims(y, 0));
  const squared = tf.sum(tf.square(diff), 2);
  const positive = tf.greater(squared, 0);
  const safe = tf.where(positive, squared, tf.onesLike(squared));
  return tf.sum(tf.where(positive, tf.pow(safe, beta / 2), tf.zerosLike(squared)), 1) as tf.Tensor1D;
}

function rowSums(x: tf.Tensor2D, y: tf.Tensor2D, beta: number): tf.Tensor1D {
  if (tf.getBackend() === 'webgpu') return tf.engine().runKernel(PAIRWISE_DISTANCE_POWER_SUM, { x, y }, { exponent: beta }) as tf.Tensor1D;
  return composedRowSums(x, y, beta);
}

const pairwiseCase = (label: string, n: number, m: number, d: number, beta: number, self: boolean): KernelCase => ({
  name: `fused pairwise ‖x − y‖^${beta} row sums and gradients, ${label}`,
  rtol: ARITHMETIC,
  outputs: self ? ['row sums', 'd/dx'] : ['row sums', 'd/dx', 'd/dy'],
  compute: () => {
    const x = wave([n, d], 0.3, 2) as tf.Tensor2D;
    const y = self ? x : (wave([m, d], 1.7, 2) as tf.Tensor2D);
    const w = wave([n], 0.9);
    const loss = self ? (a: tf.Tensor) => tf.sum(tf.mul(rowSums(a as tf.Tensor2D, a as tf.Tensor2D, beta), w)) : undefined;
    if (loss) return [rowSums(x, x, beta), tf.grad(loss)(x)];
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(rowSums(a as tf.Tensor2D, b as tf.Tensor2D, beta), w)))([x, y]);
    return [rowSums(x, y, beta), ...grads];
  },
});

export const PAIRWISE_CASES: KernelCase[] = [
  // n not a multiple of the workgroup (64), m not a multiple of the tile (64 rows for d = 2).
  pairwiseCase('x [150, 2] against y [97, 2]', 150, 97, 2, 1, false),
  pairwiseCase('x [70, 3] against itself (the energy distance self term)', 70, 70, 3, 1, true),
  // d = 40 (compiled for 64): tiles of 16 rows, so y's 60 rows take three full tiles and a partial one; β = 1.5.
  pairwiseCase('x [9, 40] against y [60, 40], β = 1.5', 9, 60, 40, 1.5, false),
];

/** @pfm/ipm's energy distance: the host loop on cpu, the fused kernel on webgpu (three calls). */
const energyCase = (label: string, n: number, m: number, d: number, exponent: number, estimator: 'unbiased' | 'biased'): KernelCase => ({
  name: `energy distance of @pfm/ipm (${label}) and its gradients`,
  rtol: ARITHMETIC,
  outputs: ['value', 'd/dx', 'd/dy'],
  compute: () => {
    const x = wave([n, d], 0.2, 1.5) as tf.Tensor2D;
    const y = tf.add(wave([m, d], 2.1), 0.3) as tf.Tensor2D;
    const f = (a: tf.Tensor, b: tf.Tensor) => energyDistance(a as tf.Tensor2D, b as tf.Tensor2D, { exponent, estimator });
    return [f(x, y), ...tf.grads(f)([x, y])];
  },
});

PAIRWISE_CASES.push(
  energyCase('x [130, 2], y [70, 2], unbiased', 130, 70, 2, 1, 'unbiased'),
  energyCase('x [40, 3], y [50, 3], biased, β = 1.5', 40, 50, 3, 1.5, 'biased'),
);
