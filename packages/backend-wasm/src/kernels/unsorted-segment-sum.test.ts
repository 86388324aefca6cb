import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

describe('UnsortedSegmentSum on wasm (stock: missing)', () => {
  it('matches cpu on vectors, matrices and 3-d tensors, with repeated ids and empty segments', async () => {
    const specs = [
      { x: [6], ids: [0, 2, 0, 1, 2, 2], n: 3 },
      { x: [5, 3], ids: [3, 0, 3, 3, 1], n: 5 }, // segments 2 and 4 stay empty (zeros)
      { x: [4, 2, 3], ids: [1, 1, 0, 1], n: 2 },
      { x: [1, 4], ids: [0], n: 1 },
    ];
    const results = await onCpuAndWasm(() =>
      specs.map((s) => tf.unsortedSegmentSum(wave(s.x, 0.3), tf.tensor1d(s.ids, 'int32'), s.n)),
    );
    expectAgreement(results, specs.map((s) => `x [${s.x}] ids [${s.ids}] numSegments ${s.n}`));
  });

  it('drops rows whose id is negative or ≥ numSegments, as cpu does', async () => {
    const results = await onCpuAndWasm(() => [
      tf.unsortedSegmentSum(wave([6, 2], 0.1), tf.tensor1d([0, -1, 2, 5, 2, 3], 'int32'), 3),
      tf.unsortedSegmentSum(wave([3], 0.1), tf.tensor1d([-4, 9, 7], 'int32'), 2),
    ]);
    expectAgreement(results, ['ids -1 and 5, 3 dropped', 'every id dropped']);
    // Exact expectation, independent of cpu: rows 0 | 2 + 4 | nothing.
    const x = Array.from({ length: 12 }, (_, i) => Math.fround(Math.sin(0.731 * i + 0.1)));
    const expected = [x[0], x[1], 0, 0, (x[4] as number) + (x[8] as number), (x[5] as number) + (x[9] as number)];
    (results.wasm[0]?.values ?? []).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    expect(results.wasm[1]?.values).toEqual([0, 0]);
  });

  it('sums int32 and bool inputs with cpu’s result dtype', async () => {
    const results = await onCpuAndWasm(() => [
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([1, 0, 1], 'int32'), 2),
      tf.unsortedSegmentSum(tf.tensor1d([1, 0, 1, 1], 'bool'), tf.tensor1d([0, 0, 1, 1], 'int32'), 2),
    ]);
    expectAgreement(results, ['int32', 'bool'], 0);
    expect(results.wasm[0]?.values).toEqual([3, 4, 6, 8]);
  });

  it('gradients of tf.gather and of tf.unsortedSegmentSum match cpu', async () => {
    const results = await onCpuAndWasm(() => {
      const ids = tf.tensor1d([3, 0, 3, 1, 3], 'int32');
      const weights = wave([5, 2], 1.5);
      const gatherGrad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, ids), weights)))(wave([4, 2], 0.2));
      const segmentWeights = wave([4, 2], 2.5);
      const sumGrad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.unsortedSegmentSum(x, ids, 4), segmentWeights)))(wave([5, 2], 0.9));
      return [gatherGrad, sumGrad];
    });
    expectAgreement(results, ['d/dx gather', 'd/dx unsortedSegmentSum']);
  });

  it('is registered for wasm by the fixes (tfjs-backend-wasm has none of its own)', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const config = tf.getKernel('UnsortedSegmentSum', 'wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc)).toBe(true);
      expect(kernelFixRegistry.stock('UnsortedSegmentSum')).toBeUndefined();
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('rejects segment ids that are not a vector as long as x, naming both shapes', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const x = tf.zeros([2, 3]);
      const ids = tf.zeros([2, 3], 'int32');
      const short = tf.zeros([1], 'int32');
      expect(() => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 2)).toThrow('segmentIds must have shape [n] with n = x.shape[0]; got segmentIds [2,3] for x [2,3]');
      expect(() => tf.unsortedSegmentSum(x, short as tf.Tensor1D, 2)).toThrow('got segmentIds [1] for x [2,3]');
      tf.dispose([x, ids, short]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
