// The fused pairwise kernels (webgpu only) against the composed formula on cpu: row sums
// r_i = Σ_j ‖x_i − y_j‖^β and their gradients, for a cross sum and a self sum (x against itself,
// whose diagonal contributes 0 and a safe zero gradient). Sums of m terms of size ~1 in float32
// in another order: 1e-5 relative; the composed form's sqrt of a squared distance and the
// kernel's differ by an ulp or two per term.
import * as tf from '@tensorflow/tfjs-core';
import { energyDistance, gaussianKernel, laplaceKernel, mmd } from '@pfm/ipm';
import { PAIRWISE_DISTANCE_POWER_SUM, PAIRWISE_KERNEL_SUM, SOFTMIN_ROWS } from '../../src/pairwise/pairwise-kernel-names.js';
import { ARITHMETIC, CHAINED, type KernelCase } from './kernel-cases.js';
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

/** ‖x_i − y_j‖² `[n, m]` and its square root with a zero gradient at 0, composed from tfjs ops. */
function composedDistances(x: tf.Tensor2D, y: tf.Tensor2D): { squared: tf.Tensor2D; norm: tf.Tensor2D } {
  const squared = tf.sum(tf.square(tf.sub(tf.expandDims(x, 1), tf.expandDims(y, 0))), 2) as tf.Tensor2D;
  const positive = tf.greater(squared, 0);
  const norm = tf.where(positive, tf.sqrt(tf.where(positive, squared, tf.onesLike(squared))), tf.zerosLike(squared)) as tf.Tensor2D;
  return { squared, norm };
}

type MmdKernelKind = 'gaussian' | 'laplace';

/** Σ_j k(x_i, y_j): the WGSL kernel on webgpu, the composed n×m block on cpu. */
function kernelRowSums(x: tf.Tensor2D, y: tf.Tensor2D, kernel: MmdKernelKind, bandwidth: number): tf.Tensor1D {
  if (tf.getBackend() === 'webgpu') return tf.engine().runKernel(PAIRWISE_KERNEL_SUM, { x, y }, { kernel, bandwidth }) as tf.Tensor1D;
  const { squared, norm } = composedDistances(x, y);
  const k = kernel === 'gaussian' ? tf.exp(tf.mul(squared, -1 / (2 * bandwidth * bandwidth))) : tf.exp(tf.mul(norm, -1 / bandwidth));
  return tf.sum(k, 1) as tf.Tensor1D;
}

// Gaussian and Laplace row sums and their gradients: a cross sum, a self sum (the Laplace kernel's
// kink at 0 gets the zero subgradient on both sides) and d = 5 (d = 40 runs the same tiled
// program as the distance powers' d = 40 case, with another profile). Sums of terms in (0, 1]: 1e-5.
const kernelCase = (label: string, n: number, m: number, d: number, kernel: MmdKernelKind, bandwidth: number, self: boolean): KernelCase => ({
  name: `fused pairwise ${kernel} kernel (ℓ = ${bandwidth}) row sums and gradients, ${label}`,
  rtol: ARITHMETIC,
  outputs: self ? ['row sums', 'd/dx'] : ['row sums', 'd/dx', 'd/dy'],
  compute: () => {
    const x = wave([n, d], 0.3, 2) as tf.Tensor2D;
    const y = self ? x : (wave([m, d], 1.7, 2) as tf.Tensor2D);
    const w = wave([n], 0.9);
    const sums = (a: tf.Tensor, b: tf.Tensor) => kernelRowSums(a as tf.Tensor2D, b as tf.Tensor2D, kernel, bandwidth);
    if (self) return [sums(x, x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(sums(a, a), w)))(x)];
    return [sums(x, y), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(sums(a, b), w)))([x, y])];
  },
});

PAIRWISE_CASES.push(
  kernelCase('x [150, 2] against y [97, 2]', 150, 97, 2, 'gaussian', 0.8, false),
  kernelCase('x [70, 3] against itself', 70, 70, 3, 'laplace', 1.2, true),
  kernelCase('x [33, 5] against y [20, 5]', 33, 20, 5, 'laplace', 0.7, false),
);

/** @pfm/ipm's MMD: the host loop on cpu, the fused kernel on webgpu (three calls per bandwidth). */
const mmdCase = (label: string, n: number, m: number, d: number, kernel: () => ReturnType<typeof gaussianKernel>, estimator: 'unbiased' | 'biased'): KernelCase => ({
  name: `MMD² of @pfm/ipm (${label}) and its gradients`,
  rtol: ARITHMETIC,
  outputs: ['value', 'd/dx', 'd/dy'],
  compute: () => {
    const x = wave([n, d], 0.2, 1.5) as tf.Tensor2D;
    const y = tf.add(wave([m, d], 2.1), 0.3) as tf.Tensor2D;
    const f = (a: tf.Tensor, b: tf.Tensor) => mmd(a as tf.Tensor2D, b as tf.Tensor2D, { kernel: kernel(), estimator });
    return [f(x, y), ...tf.grads(f)([x, y])];
  },
});

PAIRWISE_CASES.push(
  mmdCase('Gaussian, ℓ = 1, x [130, 2], y [70, 2], unbiased', 130, 70, 2, () => gaussianKernel({ bandwidth: 1 }), 'unbiased'),
  mmdCase('Gaussian, ℓ = 0.5 and 2, x [40, 3], y [50, 3], biased', 40, 50, 3, () => gaussianKernel({ bandwidth: [0.5, 2] }), 'biased'),
  mmdCase('Laplace, ℓ = 0.8, x [60, 4], y [45, 4], unbiased', 60, 45, 4, () => laplaceKernel({ bandwidth: 0.8 }), 'unbiased'),
);

/** out_i = −ε log Σ_j e^{u_j − C_ij/ε}, C = ‖x − y‖^p/p: the WGSL kernel on webgpu, tf.logSumExp of the n×m block on cpu. */
function softminRows(x: tf.Tensor2D, y: tf.Tensor2D, u: tf.Tensor1D, epsilon: number, p: number): tf.Tensor1D {
  if (tf.getBackend() === 'webgpu') return tf.engine().runKernel(SOFTMIN_ROWS, { x, y, u }, { epsilon, p }) as tf.Tensor1D;
  const { squared, norm } = composedDistances(x, y);
  const cost = p === 2 ? tf.mul(squared, 0.5) : p === 1 ? norm : tf.div(tf.pow(norm, p), p);
  return tf.mul(tf.logSumExp(tf.sub(u, tf.div(cost, epsilon)), 1), -epsilon) as tf.Tensor1D;
}

// The Sinkhorn softmin rows and their gradients in x, y and u. ε = 0.02 puts the exponents in the
// hundreds (the one-pass log-sum-exp must rescale); a chain of exp, log and a max: 1e-4 (CHAINED,
// as tf.logSumExp's own case).
const softminCase = (label: string, n: number, m: number, d: number, epsilon: number, p: number): KernelCase => ({
  name: `fused Sinkhorn softmin rows (ε = ${epsilon}, p = ${p}) and gradients, ${label}`,
  rtol: CHAINED,
  outputs: ['rows', 'd/dx', 'd/dy', 'd/du'],
  compute: () => {
    const x = wave([n, d], 0.3, 2) as tf.Tensor2D;
    const y = wave([m, d], 1.7, 2) as tf.Tensor2D;
    const u = wave([m], 2.3, 3) as tf.Tensor1D;
    const w = wave([n], 0.9);
    const rows = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => softminRows(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor1D, epsilon, p);
    return [rows(x, y, u), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(rows(a, b, c), w)))([x, y, u])];
  },
});

PAIRWISE_CASES.push(
  softminCase('x [150, 2] against y [97, 2]', 150, 97, 2, 0.02, 2),
  softminCase('x [40, 3] against y [50, 3]', 40, 50, 3, 0.3, 1),
  softminCase('x [9, 40] against y [60, 40]', 9, 60, 40, 1, 2),
  softminCase('x [20, 2] against y [30, 2], p = 1.5', 20, 30, 2, 0.1, 1.5),
);
