import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';

// Indices in [0, dim) that repeat and skip values: (7i + 3) mod dim.
function picks(shape: number[], dim: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Int32Array.from({ length: size }, (_, i) => (7 * i + 3) % dim), shape, 'int32');
}

const CASES: Array<{ x: number[]; indices: number[]; axis: number; batchDims: number }> = [
  { x: [4, 3], indices: [5], axis: 0, batchDims: 0 },
  { x: [4, 3, 2], indices: [2, 2], axis: 1, batchDims: 0 },
  { x: [2, 5], indices: [2, 3], axis: 1, batchDims: 1 },
  { x: [3, 4, 2], indices: [3, 2], axis: 1, batchDims: 1 },
  { x: [2, 3, 4], indices: [2, 5], axis: 2, batchDims: 1 },
  { x: [2, 3, 4, 2], indices: [2, 3], axis: 2, batchDims: 1 },
  { x: [2, 3, 4], indices: [2, 2, 3], axis: 1, batchDims: 1 },
  { x: [2, 3, 4, 2], indices: [2, 3, 2], axis: 2, batchDims: 2 },
  { x: [2, 3, 5], indices: [2, 3, 4], axis: 2, batchDims: 2 },
  { x: [3, 4, 2], indices: [3, 2], axis: 1, batchDims: -1 },
  // batchDims 0 runs in JavaScript: a column permutation, rows with a slice, an empty selection.
  { x: [6, 130], indices: [130], axis: 1, batchDims: 0 },
  { x: [9, 4, 3], indices: [5], axis: 0, batchDims: 0 },
  { x: [3, 4], indices: [0], axis: 1, batchDims: 0 },
];

describe('GatherV2 on wasm (stock: wrong rows for batchDims > 0, tfjs issue 8658)', () => {
  it('matches cpu exactly for batchDims 0, 1, 2 and -1 on float32 and int32', async () => {
    const labels = CASES.flatMap((c) => [
      `x [${c.x}] indices [${c.indices}] axis ${c.axis} batchDims ${c.batchDims} float32`,
      `x [${c.x}] indices [${c.indices}] axis ${c.axis} batchDims ${c.batchDims} int32`,
    ]);
    const results = await onCpuAndWasm(() =>
      CASES.flatMap((c) => {
        const x = wave(c.x, 0.5);
        const ids = picks(c.indices, c.x[c.axis] as number);
        return [tf.gather(x, ids, c.axis, c.batchDims), tf.gather(tf.cast(tf.round(tf.mul(x, 100)), 'int32'), ids, c.axis, c.batchDims)];
      }),
    );
    // A gather copies values: it must be exact.
    expectAgreement(results, labels, 0);
  });

  it('gradients of tf.gather for batchDims 0 and 1 match cpu (they need UnsortedSegmentSum)', async () => {
    const specs = [
      { x: [5, 3], indices: [7], axis: 0, batchDims: 0 },
      { x: [3, 6, 2], indices: [4], axis: 1, batchDims: 0 },
      { x: [3, 5], indices: [3, 4], axis: 1, batchDims: 1 },
      { x: [2, 5, 3], indices: [2, 6], axis: 1, batchDims: 1 },
    ];
    const results = await onCpuAndWasm(() =>
      specs.map((s) => {
        const ids = picks(s.indices, s.x[s.axis] as number);
        const upstream = tf.gather(wave(s.x, 0), ids, s.axis, s.batchDims);
        const weights = wave(upstream.shape, 1.4);
        return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, ids, s.axis, s.batchDims), weights)))(wave(s.x, 0.8));
      }),
    );
    expectAgreement(results, specs.map((s) => `d/dx x [${s.x}] axis ${s.axis} batchDims ${s.batchDims}`));
  });

  it('rejects an index out of range, naming it, like the stock kernel', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const x = tf.zeros([2, 3]);
      const ids = tf.tensor2d([0, 1, 2, 3], [2, 2], 'int32');
      expect(() => tf.gather(x, ids, 1, 1)).toThrow('GatherV2: the index value 3 is not in [0, 2]');
      const flat = tf.tensor1d([2, -1], 'int32');
      expect(() => tf.gather(x, flat, 1)).toThrow('GatherV2: the index value -1 is not in [0, 2]');
      flat.dispose();
      tf.dispose([x, ids]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('the stock kernel fails this comparison (so the tests above can fail)', async () => {
    const results = await onCpuAndWasm(() => tf.gather(wave([2, 5], 0.5), picks([2, 3], 5), 1, 1), { stockKernel: 'GatherV2' });
    expect(results.wasm[0]?.values).not.toEqual(results.cpu[0]?.values);
  });
});
