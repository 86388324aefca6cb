// The kernels pfm's methods run, forward and gradient, each as a small graph computed on the cpu
// backend (the reference) and on webgpu in the same page. Tolerances are relative to the largest
// reference value (relativeError): float32 rounds each operation to 2^-24 ≈ 6e-8, and the two
// backends sum in different orders (the GPU's tiled reductions and matMul blocks) and evaluate
// transcendental functions with their own approximations (WGSL exp/log/tanh are not correctly
// rounded: SwiftShader's are within a few ulp), so:
//   - data movement (concat, slice, gather, transpose, reshape, resize): exact (0);
//   - arithmetic, matMul, convolutions and reductions over tens of values: 1e-5 (some 100 ulp);
//   - transcendental functions and their gradients: 1e-5 (a few ulp of the inputs' range);
//   - graphs that chain many of them (group norm, log-sum-exp, conv backprops): 1e-4.
// A wrong kernel (a misplaced read, a missing broadcast, a wrong formula) is off by 0.1 to 1.
import * as tf from '@tensorflow/tfjs-core';
import { wave } from './wave.js';

/** One conformance case: tensors computed the same way on both backends. */
export interface KernelCase {
  name: string;
  /** Largest relativeError allowed, and why. */
  rtol: number;
  /** Labels of the outputs, in order. */
  outputs: string[];
  compute: () => tf.Tensor[];
}

export const EXACT = 0;
export const ARITHMETIC = 1e-5;
export const CHAINED = 1e-4;

/** x ↦ [f(x), d⟨f(x), w⟩/dx] for an elementwise f. */
function valueAndGradient(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor[] {
  const w = wave(x.shape, 2.3);
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(x);
  return [f(x), g];
}

/** The inputs and weights of a graph and the gradient of ⟨graph, w⟩ with respect to every input. */
function withGradients(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const y = f(...xs);
  const w = wave(y.shape, 1.1);
  const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
  return [y, ...grads];
}

const grads = (names: string[]) => ['value', ...names.map((n) => `d/d${n}`)];

const elementwise = (name: string, f: (x: tf.Tensor) => tf.Tensor, x: () => tf.Tensor, rtol = ARITHMETIC): KernelCase => ({
  name,
  rtol,
  outputs: ['value', 'gradient'],
  compute: () => valueAndGradient(f, x()),
});

/** Group normalisation over (h, w, channels of a group) from reshape/mean/rsqrt, the U-Net's composed form. */
function groupNorm(h: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, groups: number): tf.Tensor {
  const [n, height, width, c] = h.shape;
  const grouped = tf.reshape(h, [n, height * width, groups, c / groups]);
  const mean = tf.mean(grouped, [1, 3], true);
  const centred = tf.sub(grouped, mean);
  const invStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 3], true), 1e-5));
  const normed = tf.reshape(tf.mul(centred, invStd), [n, height, width, c]);
  return tf.add(tf.mul(normed, gamma), beta);
}

const spread = () => wave([7, 9], 0.4, 3); // values in [-3, 3]
const positive = () => tf.add(tf.abs(wave([7, 9], 0.4, 3)), 0.05);

export const KERNEL_CASES: KernelCase[] = [
  {
    name: 'matMul (all four transpose combinations) and its gradient',
    rtol: ARITHMETIC,
    outputs: ['a·b', 'aᵀ·bᵀ', 'a·cᵀ', 'dᵀ·b', 'd(a·b)/da', 'd(a·b)/db'],
    compute: () => {
      const a = wave([13, 17], 0.1);
      const b = wave([17, 11], 0.7);
      const at = wave([17, 13], 0.2);
      const bt = wave([11, 17], 0.9);
      const c = wave([11, 17], 1.3);
      const d = wave([17, 13], 1.9);
      return [tf.matMul(a, b), tf.matMul(at, bt, true, true), tf.matMul(a, c, false, true), tf.matMul(d, b, true, false), ...withGradients((p, q) => tf.matMul(p!, q!), [a, b]).slice(1)];
    },
  },
  {
    // Batches of the same size only: tfjs-core 4.22's BatchMatMul gradient does not sum over a
    // broadcast batch (on every backend), and pfm's networks do not broadcast batches.
    name: 'batched matMul and its gradient',
    rtol: ARITHMETIC,
    outputs: grads(['a', 'b']),
    compute: () => withGradients((a, b) => tf.matMul(a!, b!), [wave([3, 5, 6], 0.3), wave([3, 6, 4], 0.8)]),
  },
  ...(['linear', 'relu', 'sigmoid'] as const).map(
    (activation): KernelCase => ({
      name: `fused matMul with a bias and ${activation}, and its gradient`,
      rtol: ARITHMETIC,
      outputs: grads(['x', 'w', 'bias']),
      compute: () =>
        withGradients(
          (x, w, bias) => tf.fused.matMul({ a: x!, b: w!, bias, activation }),
          [wave([12, 7], 0.2, 2), wave([7, 9], 0.5), wave([9], 1.5)],
        ),
    }),
  ),
  {
    name: 'fused matMul with transposed operands and a bias',
    rtol: ARITHMETIC,
    outputs: grads(['x', 'w', 'bias']),
    compute: () => withGradients((x, w, bias) => tf.fused.matMul({ a: x!, b: w!, bias, transposeA: true, transposeB: true, activation: 'relu' }), [wave([7, 12], 0.2), wave([9, 7], 0.5), wave([9], 1.5)]),
  },
  elementwise('exp', tf.exp, spread),
  elementwise('log', tf.log, positive),
  elementwise('selu', tf.selu, spread),
  elementwise('sigmoid', tf.sigmoid, spread),
  elementwise('silu (x·sigmoid(x))', (x) => tf.mul(x, tf.sigmoid(x)), spread),
  elementwise('tanh', tf.tanh, spread),
  elementwise('softplus', tf.softplus, spread),
  elementwise('square', tf.square, spread),
  elementwise('sqrt', tf.sqrt, positive),
  elementwise('rsqrt', tf.rsqrt, positive),
  elementwise('abs', tf.abs, spread),
  elementwise('relu', tf.relu, spread),
  elementwise('elu', tf.elu, spread),
  elementwise('neg, reciprocal', (x) => tf.neg(tf.reciprocal(x)), positive),
  elementwise('pow (x^1.5)', (x) => tf.pow(x, 1.5), positive),
  {
    name: 'where/select and the comparisons',
    rtol: EXACT,
    outputs: ['where(x > y)', 'where(x <= y) bool', 'd/dx', 'd/dy'],
    compute: () => {
      const x = wave([6, 5], 0.3);
      const y = wave([6, 5], 1.9);
      const cond = tf.greater(x, y);
      const [value, dx, dy] = withGradients((a, b) => tf.where(tf.greater(a!, b!), tf.mul(a!, 2), tf.neg(b!)), [x, y]);
      return [value!, tf.cast(tf.where(tf.lessEqual(x, y), cond, tf.logicalNot(cond)), 'float32'), dx!, dy!];
    },
  },
  {
    // Gradients at equal shapes: tfjs-core 4.22's Maximum/Minimum gradients do not sum over a
    // broadcast input (on every backend); pfm clamps against scalars and equal shapes.
    name: 'maximum and minimum (broadcast forward), and their gradients',
    rtol: EXACT,
    outputs: ['maximum [6,5] vs [1,5]', 'minimum vs a scalar', 'dmax/dx', 'dmax/dy', 'dmin/dx', 'dmin/dy'],
    compute: () => {
      const x = wave([6, 5], 0.3);
      const y = wave([6, 5], 1.9);
      const [, gx1, gy1] = withGradients((a, b) => tf.maximum(a!, b!), [x, y]);
      const [, gx2, gy2] = withGradients((a, b) => tf.minimum(a!, b!), [x, y]);
      return [tf.maximum(x, wave([1, 5], 1.9)), tf.minimum(x, tf.scalar(0.25)), gx1!, gy1!, gx2!, gy2!];
    },
  },
  {
    name: 'broadcast add, sub, mul, div and their gradients',
    rtol: ARITHMETIC,
    outputs: grads(['a [4,1,6]', 'b [3,1]', 'c [6]']),
    compute: () =>
      withGradients((a, b, c) => tf.div(tf.add(tf.mul(a!, b!), tf.sub(c!, a!)), tf.add(tf.square(b!), 0.5)), [wave([4, 1, 6], 0.1), wave([3, 1], 0.6), wave([6], 1.2)]),
  },
  {
    name: 'a group norm statistic broadcast ([n,1,G,1] against [n,hw,G,C/G])',
    rtol: ARITHMETIC,
    outputs: grads(['x', 'mean']),
    compute: () => withGradients((x, m) => tf.mul(tf.sub(x!, m!), m!), [wave([2, 16, 4, 3], 0.5), wave([2, 1, 4, 1], 0.9)]),
  },
  {
    name: 'reductions: sum, mean, max over each axis set, and their gradients',
    rtol: ARITHMETIC,
    outputs: ['sum all', 'sum axis 0', 'sum axis 1', 'mean [0,2]', 'max axis 1', 'min axis 0', 'd sum/dx', 'd mean[0,2]/dx', 'd max/dx'],
    compute: () => {
      const x = wave([5, 7, 3], 0.2);
      const f = (axis: number | number[]) => (a: tf.Tensor) => tf.sum(tf.mul(tf.mean(a, axis), wave(tf.mean(x, axis).shape, 0.4)));
      return [
        tf.sum(x),
        tf.sum(x, 0),
        tf.sum(x, 1),
        tf.mean(x, [0, 2]),
        tf.max(x, 1),
        tf.min(x, 0),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sum(a, 1), wave([5, 3], 0.7))))(x),
        tf.grad(f([0, 2]))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.max(a, 1), wave([5, 3], 0.7))))(x),
      ];
    },
  },
  {
    name: 'a long sum (4096 values) and a column sum of [512, 64] (a bias gradient)',
    rtol: ARITHMETIC,
    outputs: ['sum', 'column sum'],
    compute: () => [tf.sum(wave([4096], 0.3)), tf.sum(wave([512, 64], 0.9), 0)],
  },
  ...[7, 8, 40].map(
    (count): KernelCase => ({
      name: `addN of ${count} tensors, and stack of scalars (the trainer's loss and gradient-norm check)`,
      rtol: ARITHMETIC,
      outputs: ['addN of [3, 4]', 'addN of scalars', 'stack'],
      compute: () => {
        const scalars = Array.from({ length: count }, (_, i) => tf.sum(tf.square(wave([5, 3], i))));
        const sumOfScalars = tf.addN(scalars);
        return [tf.addN(Array.from({ length: count }, (_, i) => wave([3, 4], 0.3 * i))), sumOfScalars, tf.stack([tf.scalar(-0.125), sumOfScalars])];
      },
    }),
  ),
  {
    name: 'logSumExp over rows and columns, and its gradient',
    rtol: CHAINED,
    outputs: ['rows', 'columns', 'd rows/dx'],
    compute: () => {
      const x = wave([9, 33], 0.4, 20);
      return [tf.logSumExp(x, 1), tf.logSumExp(x, 0), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.logSumExp(a, 1), wave([9], 0.2))))(x)];
    },
  },
  {
    name: 'concat along each axis and its gradient (split)',
    rtol: EXACT,
    outputs: ['axis 0', 'axis 1', 'axis 3 (skip connection)', 'd/da', 'd/db'],
    compute: () => {
      const a = wave([2, 3, 4, 5], 0.1);
      const b = wave([2, 3, 4, 2], 0.8);
      const [, da, db] = withGradients((p, q) => tf.concat([p!, q!], 3), [a, b]);
      return [tf.concat([a, a], 0), tf.concat([wave([3, 2], 0.1), wave([3, 5], 0.4)], 1), tf.concat([a, b], 3), da!, db!];
    },
  },
  {
    name: 'slice, stridedSlice and their gradients',
    rtol: EXACT,
    outputs: ['slice', 'stridedSlice', 'd slice/dx'],
    compute: () => {
      const x = wave([6, 7, 3], 0.5);
      return [tf.slice(x, [1, 2, 0], [3, 4, 2]), tf.stridedSlice(x, [0, 1, 0], [6, 7, 3], [2, 3, 1]), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.slice(a, [1, 2, 0], [3, 4, 2]), wave([3, 4, 2], 0.1))))(x)];
    },
  },
  {
    name: 'gather (rows, columns, batchDims 1) and its gradient (unsortedSegmentSum)',
    rtol: EXACT,
    outputs: ['rows', 'axis 1', 'batchDims 1', 'd rows/dx'],
    compute: () => {
      const x = wave([6, 4], 0.3);
      const rows = tf.tensor1d([5, 0, 2, 2, 4], 'int32');
      const columns = tf.tensor1d([3, 1], 'int32');
      const batched = tf.tensor2d([[1, 0], [2, 2], [0, 3], [1, 1], [3, 3], [0, 0]], [6, 2], 'int32');
      return [tf.gather(x, rows), tf.gather(x, columns, 1), tf.gather(x, batched, 1, 1), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, rows), wave([5, 4], 0.6))))(x)];
    },
  },
  {
    name: 'transpose and reshape with their gradients',
    rtol: EXACT,
    outputs: ['transpose 2-D', 'transpose [0,3,1,2]', 'reshape', 'd transpose/dx'],
    compute: () => {
      const x = wave([2, 3, 4, 5], 0.3);
      return [tf.transpose(wave([37, 19], 0.1)), tf.transpose(x, [0, 3, 1, 2]), tf.reshape(x, [6, 20]), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.transpose(a, [0, 3, 1, 2]), wave([2, 5, 3, 4], 0.9))))(x)];
    },
  },
  ...([
    ['stride 1, same', 1, 'same'],
    ['stride 2, same', 2, 'same'],
    ['stride 1, valid', 1, 'valid'],
    ['stride 2, valid', 2, 'valid'],
  ] as const).map(
    ([label, stride, pad]): KernelCase => ({
      name: `conv2d (${label}) and its two backprops (input, filter)`,
      rtol: ARITHMETIC,
      outputs: grads(['x', 'filter']),
      compute: () => withGradients((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad), [wave([2, 9, 8, 3], 0.2), wave([3, 3, 3, 5], 0.6, 0.5)]),
    }),
  ),
  {
    name: 'conv2d with 8 → 8 channels at 8×8 (a U-Net layer, sums over 72 products)',
    rtol: ARITHMETIC,
    outputs: grads(['x', 'filter']),
    compute: () => withGradients((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), [wave([2, 8, 8, 8], 0.2), wave([3, 3, 8, 8], 0.6, 0.3)]),
  },
  {
    name: 'transposed conv2d (stride 2, same) and its gradient',
    rtol: ARITHMETIC,
    outputs: grads(['x', 'filter']),
    compute: () => withGradients((x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 10, 3], 2, 'same'), [wave([2, 4, 5, 4], 0.2), wave([3, 3, 3, 4], 0.6, 0.5)]),
  },
  {
    name: 'resize nearest (2× up, a batch of 3, both attribute settings) and its gradient',
    rtol: EXACT,
    outputs: ['value', 'd/dx', 'half-pixel value', 'half-pixel d/dx', 'align-corners 7×9 d/dx'],
    compute: () => {
      const x = wave([3, 4, 5, 2], 0.2);
      const [v, g] = withGradients((a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [8, 10]), [x]);
      const [hv, hg] = withGradients((a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [8, 10], false, true), [x]);
      const [, ag] = withGradients((a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [7, 9], true, false), [x]);
      return [v!, g!, hv!, hg!, ag!];
    },
  },
  {
    name: 'group norm of the U-Net (reshape, mean over [1,3], rsqrt) and its gradient',
    rtol: CHAINED,
    outputs: grads(['x', 'gamma', 'beta']),
    compute: () => withGradients((x, g, b) => groupNorm(x as tf.Tensor4D, g!, b!, 4), [wave([2, 6, 5, 8], 0.3, 2), tf.add(wave([8], 0.4, 0.5), 1), wave([8], 1.4)]),
  },
  {
    name: 'pad and average pooling with their gradients',
    rtol: ARITHMETIC,
    outputs: ['pad', 'avgPool', 'd pad/dx', 'd avgPool/dx'],
    compute: () => {
      const x = wave([2, 6, 6, 3], 0.2);
      const [p, dp] = withGradients((a) => tf.pad(a, [[0, 0], [1, 2], [2, 1], [0, 0]]), [x]);
      const [q, dq] = withGradients((a) => tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'), [x]);
      return [p!, q!, dp!, dq!];
    },
  },
];
