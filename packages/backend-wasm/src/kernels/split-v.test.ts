import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-concat-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectCopiesMatchCpu } from '../testing/expect-copies-match-cpu.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

// NHWC tensors split on the channel axis (the gradient of a U-Net's skip concatenation) with
// odd sizes, one channel, channel counts that are not multiples of 4 and pieces of 32 values or
// more (the `set` path of copy-rows.ts), and other axes, negative axes and sizes with −1.
const CASES: Array<{ shape: number[]; splits: number | number[]; axis: number }> = [
  { shape: [2, 5, 7, 3], splits: [1, 2], axis: 3 },
  { shape: [1, 4, 4, 1], splits: [1], axis: 3 },
  { shape: [3, 6, 5, 13], splits: [8, 5], axis: -1 },
  { shape: [2, 3, 3, 70], splits: [35, 33, 2], axis: 3 },
  { shape: [2, 4, 4, 6], splits: 3, axis: 3 },
  { shape: [2, 4, 4, 6], splits: [2, -1], axis: 3 },
  { shape: [2, 4, 4, 6], splits: [0, 6, 0], axis: 3 },
  { shape: [4, 3, 5, 2], splits: [1, 3], axis: 0 },
  { shape: [2, 9, 5, 3], splits: [4, 5], axis: 1 },
  { shape: [2, 5, 9, 3], splits: [2, 7], axis: -2 },
  { shape: [12], splits: [5, 7], axis: 0 },
  { shape: [5, 40], splits: [33, 7], axis: 1 },
];
const label = (c: (typeof CASES)[number]) => `[${c.shape}] split ${JSON.stringify(c.splits)} on axis ${c.axis}`;

describe('SplitV on wasm (host kernel: strided row copies)', () => {
  it('is the registered wasm kernel after init, the stock one kept aside', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(kernelFixRegistry.isFixed(tf.getKernel('SplitV', 'wasm')?.kernelFunc)).toBe(true);
      expect(kernelFixRegistry.isFixed(kernelFixRegistry.stock('SplitV')?.kernelFunc)).toBe(false);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('gives cpu’s pieces bit for bit (NaN, ±Infinity and −0 included) for float32, int32 and bool, on every axis', async () => {
    await expectCopiesMatchCpu(CASES, (c, input, i) => tf.split(input(c.shape, i), c.splits, c.axis), label);
  });

  it('gives the gradient of tf.split (a concat) that cpu gives', async () => {
    const results = await onCpuAndWasm(() =>
      tf.grads((x: tf.Tensor) => {
        const [a, b, c] = tf.split(x, [5, 1, 7], 3);
        return tf.add(tf.add(tf.sum(tf.square(a!)), tf.sum(tf.mul(b!, 3))), tf.sum(tf.sin(c!)));
      })([wave([2, 5, 3, 13], 0.4)]),
    );
    expectAgreement(results, ['d/dx of a split on the channels']);
  });

  it('refuses sizes that do not add up, as tfjs does, and leaves no tensor nor heap buffer behind', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const backend = tf.backend() as unknown as HeapCount;
      const x = wave([2, 3, 3, 5], 0.2);
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      expect(() => tf.split(x, [2, 2], 3)).toThrow(/sum of sizes/i);
      tf.tidy(() => {
        for (const c of CASES) tf.split(wave(c.shape, 0.1), c.splits, c.axis).forEach((t) => t.dataSync());
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
      x.dispose();
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
