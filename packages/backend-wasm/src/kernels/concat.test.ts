import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-concat-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectCopiesMatchCpu } from '../testing/expect-copies-match-cpu.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

// Channel concatenations of NHWC tensors (a U-Net's skip connections) with one channel, odd
// counts, counts that are not multiples of 4 and inputs of 32 values or more per row (the `set`
// path of copy-rows.ts); other axes, negative axes, three inputs and empty inputs.
const CASES: Array<{ shapes: number[][]; axis: number }> = [
  { shapes: [[2, 5, 7, 3], [2, 5, 7, 1]], axis: 3 },
  { shapes: [[1, 4, 4, 1], [1, 4, 4, 1]], axis: -1 },
  { shapes: [[3, 6, 5, 13], [3, 6, 5, 6], [3, 6, 5, 2]], axis: 3 },
  { shapes: [[2, 3, 3, 35], [2, 3, 3, 33]], axis: 3 },
  { shapes: [[2, 4, 4, 6], [2, 4, 4, 0], [2, 4, 4, 5]], axis: 3 },
  { shapes: [[4, 3, 5, 2], [1, 3, 5, 2]], axis: 0 },
  { shapes: [[2, 9, 5, 3], [2, 2, 5, 3]], axis: 1 },
  { shapes: [[2, 5, 9, 3], [2, 5, 1, 3]], axis: -2 },
  { shapes: [[5], [7]], axis: 0 },
  { shapes: [[5, 40], [5, 7]], axis: 1 },
];
const label = (c: (typeof CASES)[number]) => `concat of ${c.shapes.map((s) => `[${s}]`).join(', ')} on axis ${c.axis}`;

describe('Concat on wasm (host kernel: strided row copies)', () => {
  it('is the registered wasm kernel after init, the stock one kept aside', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(kernelFixRegistry.isFixed(tf.getKernel('Concat', 'wasm')?.kernelFunc)).toBe(true);
      expect(kernelFixRegistry.isFixed(kernelFixRegistry.stock('Concat')?.kernelFunc)).toBe(false);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('gives cpu’s result bit for bit (NaN, ±Infinity and −0 included) for float32, int32 and bool, on every axis', async () => {
    await expectCopiesMatchCpu(CASES, (c, input, i) => tf.concat(c.shapes.map((s, j) => input(s, i + j)), c.axis), label);
  });

  it('a lone non-empty input (the others empty) goes to the stock kernel and still matches cpu', async () => {
    const results = await onCpuAndWasm(() => tf.concat([wave([2, 3, 0]), wave([2, 3, 4], 1), wave([2, 3, 0])], 2));
    expectElementwise(results, ['[2,3,0] ++ [2,3,4] ++ [2,3,0]']);
  });

  it('gives the gradients of tf.concat (a split) that cpu gives', async () => {
    const results = await onCpuAndWasm(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.mul(tf.concat([a, b], 3), wave([2, 5, 3, 13], 2.2)))))([wave([2, 5, 3, 6], 0.4), wave([2, 5, 3, 7], 1.3)]),
    );
    expectAgreement(results, ['d/da', 'd/db']);
  });

  it('refuses inputs whose other axes differ, as tfjs does, and leaves no tensor nor heap buffer behind', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const backend = tf.backend() as unknown as HeapCount;
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      expect(() => tf.tidy(() => tf.engine().runKernel('Concat', [wave([2, 3, 4]), wave([2, 4, 4])] as unknown as tf.NamedTensorMap, { axis: 2 }))).toThrow(/shape/i);
      tf.tidy(() => {
        for (const c of CASES) tf.concat(c.shapes.map((s) => wave(s, 0.3)), c.axis).dataSync();
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
