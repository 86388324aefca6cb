import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { laplaceKernel } from '../kernels/laplace-kernel.js';
import { mmd } from '../mmd/mmd.js';
import { backendKernelSumAvailable, PAIRWISE_KERNEL_SUM } from './backend-kernel-sum.js';

// A stand-in for a backend's fused kernel (@pfm/backend-webgpu registers the real one, tested in
// headless Chromium), registered on the active test backend: row sums Σ_j k(x_i, y_j) on the
// host, recording the attributes of each call, so that the choice made by mmd can be checked.
let calls: { kernel: string; bandwidth: number }[] = [];
function registerStandIn(): void {
  tf.registerKernel({
    kernelName: PAIRWISE_KERNEL_SUM,
    backendName: tf.getBackend(),
    kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
      const { kernel, bandwidth } = attrs as unknown as { kernel: string; bandwidth: number };
      calls.push({ kernel, bandwidth });
      const backend = kernelBackend as tf.KernelBackend;
      const { x, y } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo };
      const xs = backend.readSync(x.dataId) as Float32Array;
      const ys = backend.readSync(y.dataId) as Float32Array;
      const [n, d] = x.shape as [number, number];
      const m = y.shape[0]!;
      const rows = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += (xs[i * d + c]! - ys[j * d + c]!) ** 2;
          rows[i] = rows[i]! + (kernel === 'gaussian' ? Math.exp(-s / (2 * bandwidth * bandwidth)) : Math.exp(-Math.sqrt(s) / bandwidth));
        }
      }
      return { dataId: backend.write(rows, [n], 'float32'), shape: [n], dtype: 'float32' };
    },
  });
}

afterEach(() => {
  if (tf.getKernel(PAIRWISE_KERNEL_SUM, tf.getBackend())) tf.unregisterKernel(PAIRWISE_KERNEL_SUM, tf.getBackend());
  calls = [];
});

describe('mmd on a backend with a fused kernel sum', () => {
  const x = () => tf.tensor2d([0, 0, 1, 0.5, -1, 2, 0.3, -0.7], [4, 2]);
  const y = () => tf.tensor2d([2, 1, 0.5, 0.5, -0.2, 1.1], [3, 2]);

  it('is not chosen where the active backend has no such kernel (cpu, wasm)', () => {
    expect(backendKernelSumAvailable(2)).toBe(false);
  });

  it.each([
    ['a Gaussian kernel, unbiased', () => gaussianKernel({ bandwidth: 0.9 }), 'unbiased', [{ kernel: 'gaussian', bandwidth: 0.9 }]],
    ['two Gaussian bandwidths, biased', () => gaussianKernel({ bandwidth: 1, scales: [0.5, 2] }), 'biased', [{ kernel: 'gaussian', bandwidth: 0.5 }, { kernel: 'gaussian', bandwidth: 2 }]],
    ['a Laplace kernel, unbiased', () => laplaceKernel({ bandwidth: 1.3 }), 'unbiased', [{ kernel: 'laplace', bandwidth: 1.3 }]],
  ] as const)('runs it for xy, xx and yy per bandwidth and gives the composed value (%s)', (_label, kernel, estimator, expected) => {
    const a = x();
    const b = y();
    const before = tf.memory().numTensors;
    const composed = mmd(a, b, { kernel: kernel(), estimator, fused: false });
    registerStandIn();
    expect(backendKernelSumAvailable(2)).toBe(true);
    expect(backendKernelSumAvailable(257)).toBe(false);
    const viaKernel = mmd(a, b, { kernel: kernel(), estimator });
    expect(calls).toHaveLength(3 * expected.length);
    expect(new Set(calls.map((c) => JSON.stringify(c)))).toEqual(new Set(expected.map((c) => JSON.stringify(c))));
    // Both sum the same float32 terms in other orders (and the unbiased one subtracts the
    // diagonal from full self sums): 1e-5 absolute on values of order 0.1.
    expect(viaKernel.dataSync()[0]).toBeCloseTo(composed.dataSync()[0]!, 5);
    // An explicit `fused` keeps its meaning: false the composed ops, true the host loop.
    tf.dispose(mmd(a, b, { kernel: kernel(), estimator, fused: false }));
    tf.dispose(mmd(a, b, { kernel: kernel(), estimator, fused: true }));
    expect(calls).toHaveLength(3 * expected.length);
    tf.dispose([composed, viaKernel]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
